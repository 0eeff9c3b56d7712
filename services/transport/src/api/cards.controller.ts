/** RDW's driver-card register. */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { Access, CallerOf, OWN_ORG_WRITE } from '@civic/service-kit';
import { PrincipalGuard, PrincipalOf, type Principal } from '../auth/principal.js';
import { CardsService } from './cards.service.js';
import { ChainViewsService } from './chain-views.service.js';

@Controller('cards')
export class CardsController {
  constructor(
    @Inject(CardsService) private readonly cards: CardsService,
    @Inject(ChainViewsService) private readonly views: ChainViewsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  issue(@Body() body: unknown) {
    return this.cards.issue(body);
  }

  @Post(':card/changes')
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  change(@Param('card') card: string, @Body() body: unknown) {
    return this.cards.change(card, body);
  }

  @Get(':card')
  @Access('self')
  @UseGuards(PrincipalGuard)
  get(@Param('card') card: string, @PrincipalOf() principal: Principal) {
    return this.views.card(principal, card);
  }

  @Get(':card/driver')
  @Access(OWN_ORG_WRITE)
  driver(@Param('card') card: string, @CallerOf() caller: Caller) {
    return this.cards.driver(caller, card);
  }
}
