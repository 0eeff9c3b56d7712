/**
 * Who calls a route that both staff and drivers may call: a member of an organisation of the
 * channel (the kit's certificate-bound token) or the holder of a driver card (a driver token,
 * auth/driver-token.ts). Routes marked `@Access('self')` run `PrincipalGuard`, which accepts
 * either and leaves the principal on the request for `@PrincipalOf()`; what each principal may
 * see is the service's decision (api/permissions.ts).
 */
import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Caller, Gateway } from '@civic/gateway';
import { bearerToken, CLOCK, GATEWAY, TokenVerifier, unauthenticated } from '@civic/service-kit';
import { keys, TRANSPORT_NAMESPACE, type CardRecord } from '../domain/index.js';
import { driverCardOf, verifyDriverToken } from './driver-token.js';

export type Principal =
  | { readonly kind: 'staff'; readonly caller: Caller }
  | { readonly kind: 'driver'; readonly cardNumber: string };

interface PrincipalRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

@Injectable()
export class PrincipalGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PrincipalRequest>();
    const audience = this.verifier.options.audience;
    const token = bearerToken(
      request.headers.authorization,
      `civic token --user <name> --audience ${audience}, or a driver token (docs/transport.md#drivers)`,
    );
    if (driverCardOf(token) === null) {
      request.principal = { kind: 'staff', caller: await this.verifier.verify(token) };
      return true;
    }
    const reader = this.gateway.reader(TRANSPORT_NAMESPACE);
    const verified = await verifyDriverToken(token, {
      keyOf: async (card) => (await reader.get<CardRecord>(keys.card(card)))?.driverKey ?? null,
      audience,
      nowMs: this.clock(),
    });
    if (!verified.ok) throw unauthenticated(`invalid driver token: ${verified.reason}`);
    request.principal = { kind: 'driver', cardNumber: verified.cardNumber };
    return true;
  }
}

/** The principal PrincipalGuard verified. */
export const PrincipalOf = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<PrincipalRequest>().principal!,
);
