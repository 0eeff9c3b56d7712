/**
 * The certificate-bound bearer tokens live in @civic/identity (a certificate, resolved against
 * the config in force, at a time: the peers check them too); re-exported here, where the domain
 * services have always found them.
 */
export {
  fromBase64Url,
  mintToken,
  toBase64Url,
  TOKEN_CHARS_MAX,
  TOKEN_CLOCK_SKEW_MS,
  TOKEN_TTL_MAX_MS,
  TokenArgumentError,
  verifyToken,
  type Caller,
  type MintTokenInput,
  type TokenClaims,
  type VerifyTokenOptions,
  type VerifyTokenResult,
} from '@civic/identity';
