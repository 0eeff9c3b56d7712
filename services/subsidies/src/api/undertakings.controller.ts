/** Undertakings, their control links, mergers, splits and the aid register view. */
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { Access, ANY_MEMBER_READ, CallerOf, OWN_ORG_WRITE } from '@civic/service-kit';
import { SubsidiesService } from './subsidies.service.js';

@Controller()
export class UndertakingsController {
  constructor(@Inject(SubsidiesService) private readonly service: SubsidiesService) {}

  @Post('undertakings')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  register(@Body() body: unknown) {
    return this.service.registerUndertaking(body);
  }

  @Get('undertakings/:kvk')
  @Access(ANY_MEMBER_READ)
  get(@Param('kvk') kvk: string, @CallerOf() caller: Caller) {
    return this.service.undertaking(kvk, caller.mspId);
  }

  @Get('undertakings/:kvk/aid')
  @Access(ANY_MEMBER_READ)
  aid(@Param('kvk') kvk: string, @Query('asOf') asOf?: string) {
    return this.service.aidRegister(kvk, asOf);
  }

  @Delete('undertakings/:kvk/private-data')
  @Access(OWN_ORG_WRITE)
  erase(@Param('kvk') kvk: string) {
    return this.service.erasePrivateData(kvk);
  }

  @Post('undertakings/:kvk/controls')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  link(@Param('kvk') kvk: string, @Body() body: unknown) {
    return this.service.linkUndertakings(kvk, body);
  }

  @Post('undertakings/:kvk/controls/:childKvk/end')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  unlink(@Param('kvk') kvk: string, @Param('childKvk') childKvk: string, @Body() body: unknown) {
    return this.service.unlinkUndertakings(kvk, childKvk, body);
  }

  @Post('mergers')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  merger(@Body() body: unknown) {
    return this.service.recordMerger(body);
  }

  @Post('splits')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  split(@Body() body: unknown) {
    return this.service.recordSplit(body);
  }
}
