/** Cards and reserved places (municipality). */
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Access, OWN_ORG_WRITE } from '@civic/service-kit';
import { IssuanceService } from './issuance.service.js';

@Controller()
@Access(OWN_ORG_WRITE)
export class CardsController {
  constructor(@Inject(IssuanceService) private readonly issuance: IssuanceService) {}

  @Post('cards')
  @HttpCode(201)
  issue(@Body() body: unknown) {
    return this.issuance.issueCard(body);
  }

  @Post('cards/:cardNumber/duplicate')
  @HttpCode(201)
  duplicate(@Param('cardNumber') cardNumber: string, @Body() body: unknown) {
    return this.issuance.issueDuplicate(cardNumber, body);
  }

  @Post('cards/:cardNumber/revocation')
  @HttpCode(201)
  revoke(@Param('cardNumber') cardNumber: string, @Body() body: unknown) {
    return this.issuance.revokeCard(cardNumber, body);
  }

  @Post('places')
  @HttpCode(201)
  assign(@Body() body: unknown) {
    return this.issuance.assignPlace(body);
  }

  @Post('places/:plate/end')
  @HttpCode(201)
  end(@Param('plate') plate: string, @Body() body: unknown) {
    return this.issuance.endPlace(plate, body);
  }
}
