import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ReadersGuard } from '../auth/readers.guard.js';
import { QueryService, type QueryOutcome } from './query.service.js';

const STATUS = { ok: 200, 'not-found': 404, 'bad-request': 400 } as const;

/** The part of fastify's reply these routes use (structural: no direct fastify dependency). */
export interface FastifyReply {
  status(code: number): FastifyReply;
  header(name: string, value: string): FastifyReply;
  send(body: unknown): unknown;
}

function send(reply: FastifyReply, outcome: QueryOutcome): void {
  void reply.status(STATUS[outcome.kind]).header('content-type', 'application/json').send(outcome.body);
}

/**
 * The REST face of the queries (docs/peer.md, /openapi.json). Keys may hold `/`: the routes
 * take the rest of the path as the key (percent-encode other reserved characters). Every route
 * needs a reader of the channel (ReadersGuard).
 */
@Controller()
@UseGuards(ReadersGuard)
export class QueryController {
  constructor(private readonly queries: QueryService) {}

  @Get('height')
  async height(@Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.run({ type: 'height' }));
  }

  @Get('state/:namespace/*')
  async state(
    @Param('namespace') namespace: string,
    @Param('*') key: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.queries.run({ type: 'state', namespace, key: joinKey(key) }));
  }

  @Get('history/:namespace/*')
  async history(
    @Param('namespace') namespace: string,
    @Param('*') key: unknown,
    @Query('limit') limit: string | undefined,
    @Query('beforeBlock') beforeBlock: string | undefined,
    @Query('beforeTx') beforeTx: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const before =
      beforeBlock === undefined && beforeTx === undefined
        ? undefined
        : { block: beforeBlock, txIndex: beforeTx ?? '0' };
    send(reply, await this.queries.run({ type: 'history', namespace, key: joinKey(key), limit, before }));
  }

  @Get('blocks/:id')
  async block(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.run({ type: 'block', number: id }));
  }

  @Get('blocks/:id/wire')
  async blockWire(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.blockWire(id));
  }

  @Get('tx/:txId')
  async tx(@Param('txId') txId: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.run({ type: 'tx', txId }));
  }

  @Get('tx/:txId/proof')
  async proof(@Param('txId') txId: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.run({ type: 'proof', txId }));
  }

  @Get('checkpoint')
  async checkpoint(@Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.queries.run({ type: 'checkpoint' }));
  }
}

/** A wildcard parameter arrives as the path's segments (an array) or as one string. */
function joinKey(key: unknown): unknown {
  return Array.isArray(key) ? key.join('/') : key;
}
