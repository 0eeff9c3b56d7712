/** A driver card's records, findings, checks and access log. */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { Access, CallerOf, OWN_ORG_WRITE } from '@civic/service-kit';
import { PrincipalGuard, PrincipalOf, type Principal } from '../auth/principal.js';
import { ChainViewsService, type RangeQuery } from './chain-views.service.js';
import { RecordsService, type RecordsQuery } from './records.service.js';

@Controller('drivers/:card')
export class DriversController {
  constructor(
    @Inject(RecordsService) private readonly records: RecordsService,
    @Inject(ChainViewsService) private readonly views: ChainViewsService,
  ) {}

  @Post('records')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  upload(@Param('card') card: string, @Body() body: unknown, @CallerOf() caller: Caller) {
    return this.records.upload(caller, card, body);
  }

  @Get('records')
  @Access('self')
  @UseGuards(PrincipalGuard)
  read(@Param('card') card: string, @Query() query: RecordsQuery, @PrincipalOf() principal: Principal) {
    return this.records.records(principal, card, query);
  }

  @Get('compliance')
  @Access('self')
  @UseGuards(PrincipalGuard)
  compliance(@Param('card') card: string, @Query() query: RecordsQuery, @PrincipalOf() principal: Principal) {
    return this.records.compliance(principal, card, query);
  }

  @Get('uploads')
  @Access('self')
  @UseGuards(PrincipalGuard)
  uploads(@Param('card') card: string, @Query() query: RangeQuery, @PrincipalOf() principal: Principal) {
    return this.views.uploads(principal, card, query);
  }

  @Get('findings')
  @Access('self')
  @UseGuards(PrincipalGuard)
  findings(@Param('card') card: string, @Query() query: RangeQuery, @PrincipalOf() principal: Principal) {
    return this.views.findings(principal, card, query);
  }

  @Get('inspections')
  @Access('self')
  @UseGuards(PrincipalGuard)
  inspections(@Param('card') card: string, @Query() query: RangeQuery, @PrincipalOf() principal: Principal) {
    return this.views.inspections(principal, card, query);
  }

  @Get('access-log')
  @Access('self')
  @UseGuards(PrincipalGuard)
  accessLog(@Param('card') card: string, @Query() query: RangeQuery, @PrincipalOf() principal: Principal) {
    return this.views.accessLog(principal, card, query);
  }
}
