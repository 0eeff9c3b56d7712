/** Checks recorded by ILT and the police. */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { Access, CallerOf, OWN_ORG_WRITE } from '@civic/service-kit';
import { PrincipalGuard, PrincipalOf, type Principal } from '../auth/principal.js';
import { ChainViewsService } from './chain-views.service.js';
import { InspectionsService } from './inspections.service.js';

@Controller('inspections')
export class InspectionsController {
  constructor(
    @Inject(InspectionsService) private readonly inspections: InspectionsService,
    @Inject(ChainViewsService) private readonly views: ChainViewsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  record(@Body() body: unknown, @CallerOf() caller: Caller) {
    return this.inspections.record(caller, body);
  }

  @Get(':id')
  @Access('self')
  @UseGuards(PrincipalGuard)
  get(@Param('id') id: string, @PrincipalOf() principal: Principal) {
    return this.views.inspection(principal, id);
  }
}
