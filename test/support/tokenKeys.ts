import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { startLocalServer, type LocalServer } from './localServer';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export interface TokenClaims {
  aud: string;
  serviceurl?: string;
  iss?: string;
  expiresInSeconds?: number;
}

/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing-key (JWKS) endpoints, with
 * one published key id. It signs tokens the way the Bot Connector does, and forges the kinds an
 * attacker would try, so the bot's token check can be tested both ways.
 */
export class TokenKeyServer {
  readonly kid = 'lantern-test-key';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: LocalServer;
  /** How many times the bot fetched the key set (proves the stand-in was used). */
  keyFetches = 0;

  async start(): Promise<this> {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    this.server = await startLocalServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid') {
        res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.server!.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/keys') {
        this.keyFetches += 1;
        res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    return this;
  }

  get endpoints() {
    return { channelOpenIdMetadataUrl: `${this.server!.url}/openid`, emulatorOpenIdMetadataUrl: `${this.server!.url}/openid` };
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private payload(claims: TokenClaims) {
    const now = Math.floor(Date.now() / 1000);
    return { iss: claims.iss ?? CHANNEL_ISSUER, aud: claims.aud, serviceurl: claims.serviceurl, nbf: now - 60, iat: now - 60, exp: now + (claims.expiresInSeconds ?? 3600) };
  }

  private rs256(claims: TokenClaims, privateKey: KeyObject): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const body = b64url(JSON.stringify(this.payload(claims)));
    return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), privateKey))}`;
  }

  /** What the Bot Connector sends: RS256 with the published key. */
  valid(claims: TokenClaims): string {
    return this.rs256(claims, this.key.privateKey);
  }

  /** RS256 under the published key id, signed by a key the attacker made. */
  foreignKey(claims: TokenClaims): string {
    return this.rs256(claims, this.foreign.privateKey);
  }

  /** No signature at all. */
  algNone(claims: TokenClaims): string {
    return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: this.kid }))}.${b64url(JSON.stringify(this.payload(claims)))}.`;
  }

  /** HS256 keyed with the public key's PEM: the classic algorithm-confusion forgery. */
  hs256(claims: TokenClaims): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.kid }));
    const body = b64url(JSON.stringify(this.payload(claims)));
    const secret = this.key.publicKey.export({ format: 'pem', type: 'spki' });
    return `${head}.${body}.${b64url(createHmac('sha256', secret).update(`${head}.${body}`).digest())}`;
  }
}

