/** Roadside checks: the enforcement organisation's own officers (client identities). */
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { Access, CallerOf } from '@civic/service-kit';
import { RoadsideChecks } from './roadside-checks.service.js';

const OFFICERS = { orgs: 'own', roles: ['client'] } as const;

@Controller('checks')
@Access(OFFICERS)
export class ChecksController {
  constructor(@Inject(RoadsideChecks) private readonly checks: RoadsideChecks) {}

  @Get('cards/:cardNumber')
  card(
    @Param('cardNumber') cardNumber: string,
    @Query('area') area: string | undefined,
    @CallerOf() caller: Caller,
  ) {
    return this.checks.card(cardNumber, area, caller);
  }

  @Get('plates/:plate')
  plate(@Param('plate') plate: string, @Query('area') area: string | undefined, @CallerOf() caller: Caller) {
    return this.checks.plate(plate, area, caller);
  }
}
