/** Holders: registration, lookup, citizen tokens, death, moves, erasure (municipality), and the holder view. */
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Access, OWN_ORG_WRITE } from '@civic/service-kit';
import { HolderViewService } from './holder-view.service.js';
import { HoldersService } from './holders.service.js';

/** A municipality's own users only; the instance must serve a municipality (domain rules). */
const MUNICIPAL_STAFF = OWN_ORG_WRITE;
/** Citizen tokens are asked for by the municipality's portal, a client identity. */
const PORTAL = { orgs: 'own', roles: ['client'] } as const;

@Controller('holders')
export class HoldersController {
  constructor(
    @Inject(HoldersService) private readonly holders: HoldersService,
    @Inject(HolderViewService) private readonly views: HolderViewService,
  ) {}

  @Post()
  @HttpCode(201)
  @Access(MUNICIPAL_STAFF)
  register(@Body() body: unknown) {
    return this.holders.register(body);
  }

  @Post('lookup')
  @HttpCode(200)
  @Access(MUNICIPAL_STAFF)
  lookup(@Body() body: unknown) {
    return this.holders.lookup(body);
  }

  @Post('tokens')
  @HttpCode(201)
  @Access(PORTAL)
  token(@Body() body: unknown) {
    return this.holders.holderToken(body);
  }

  @Post(':hid/death')
  @HttpCode(201)
  @Access(MUNICIPAL_STAFF)
  death(@Param('hid') hid: string, @Body() body: unknown) {
    return this.holders.reportDeath(hid, body);
  }

  @Post(':hid/move')
  @HttpCode(201)
  @Access(MUNICIPAL_STAFF)
  move(@Param('hid') hid: string, @Body() body: unknown) {
    return this.holders.recordMove(hid, body);
  }

  @Post(':hid/erasure')
  @HttpCode(201)
  @Access(MUNICIPAL_STAFF)
  erase(@Param('hid') hid: string) {
    return this.holders.erase(hid);
  }

  /** Authenticated in the service: a holder token for this hid, or the municipality's staff. */
  @Get(':hid/records')
  @Access('self')
  records(@Param('hid') hid: string, @Headers('authorization') authorization: string | undefined) {
    return this.views.view(hid, authorization);
  }
}
