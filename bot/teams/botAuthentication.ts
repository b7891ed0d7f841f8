import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import type { TokenVerdict } from '../server';
import type { Settings } from '../settings';

/**
 * Where Bot Framework tokens' signing keys are published. Production uses Microsoft's; tests point
 * these at a local stand-in so a token signed by a test key can be accepted and a forged one refused.
 * Deliberately not an environment setting: a wrong value in production would accept forged tokens.
 */
export interface TokenKeyEndpoints {
  channelOpenIdMetadataUrl: string;
  emulatorOpenIdMetadataUrl: string;
}

/** The adapter's configuration: the app registration plus, when given, the key endpoints to trust. */
export function botFrameworkConfig(bot: Settings['bot'], keys?: TokenKeyEndpoints): ConfigurationBotFrameworkAuthenticationOptions {
  const config: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.password,
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId,
  };
  if (!keys) return config;
  // Naming any endpoint switches botframework-connector to "all parameters given", so name them all.
  return {
    ...config,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: keys.channelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: keys.emulatorOpenIdMetadataUrl,
    CallerId: 'urn:botframework:azure',
  };
}

/**
 * Checks an Authorization header on its own, before the body is read: signature, issuer, audience
 * (this bot's app id), expiry and allowed algorithms (RS256/384/512, so `alg:none` and HS256 fail).
 * The adapter checks the token again with the activity, which adds the serviceUrl claim.
 */
export function tokenVerifier(bot: Settings['bot'], keys?: TokenKeyEndpoints): (authorization: string) => Promise<TokenVerdict> {
  const auth = new ConfigurationBotFrameworkAuthentication(botFrameworkConfig(bot, keys));
  return async (authorization) => {
    if (!/^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(authorization.trim())) return 'invalid';
    try {
      await auth.authenticateStreamingRequest(authorization.trim(), 'msteams');
      return 'valid';
    } catch (err) {
      if (err instanceof AuthenticationError) return err.statusCode === 500 ? 'keys-unavailable' : 'invalid';
      // jsonwebtoken's own verdicts (bad signature, expired, not yet valid) are the caller's fault.
      if (/TokenError$|NotBeforeError$/.test((err as Error)?.name ?? '')) return 'invalid';
      // Anything else is the key endpoint not answering (network): not the caller's fault.
      return 'keys-unavailable';
    }
  };
}
