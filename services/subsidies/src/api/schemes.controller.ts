/** Schemes, applications, grants, payments and recoveries: thin handlers over SubsidiesService. */
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Access, ANY_MEMBER_READ, OWN_ORG_WRITE } from '@civic/service-kit';
import { SubsidiesService } from './subsidies.service.js';

@Controller('schemes')
export class SchemesController {
  constructor(@Inject(SubsidiesService) private readonly service: SubsidiesService) {}

  @Post()
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  register(@Body() body: unknown) {
    return this.service.registerScheme(body);
  }

  @Get(':schemeId')
  @Access(ANY_MEMBER_READ)
  get(@Param('schemeId') schemeId: string) {
    return this.service.scheme(schemeId);
  }

  @Post(':schemeId/applications')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  apply(@Param('schemeId') schemeId: string, @Body() body: unknown) {
    return this.service.applyForGrant(schemeId, body);
  }

  @Post(':schemeId/applications/:applicationId/refusal')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  refuse(
    @Param('schemeId') schemeId: string,
    @Param('applicationId') applicationId: string,
    @Body() body: unknown,
  ) {
    return this.service.refuseApplication(schemeId, applicationId, body);
  }

  @Post(':schemeId/grants')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  grant(@Param('schemeId') schemeId: string, @Body() body: unknown) {
    return this.service.decideGrant(schemeId, body);
  }

  @Get(':schemeId/grants/:sequence')
  @Access(ANY_MEMBER_READ)
  getGrant(@Param('schemeId') schemeId: string, @Param('sequence') sequence: string) {
    return this.service.grant(schemeId, sequence);
  }

  @Post(':schemeId/grants/:sequence/payments')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  pay(@Param('schemeId') schemeId: string, @Param('sequence') sequence: string, @Body() body: unknown) {
    return this.service.recordPayment(schemeId, sequence, body);
  }

  @Post(':schemeId/grants/:sequence/recoveries')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  recover(@Param('schemeId') schemeId: string, @Param('sequence') sequence: string, @Body() body: unknown) {
    return this.service.recordRecovery(schemeId, sequence, body);
  }
}
