/** GRAPH_INSTALL and friends: installing Lantern for people in no team with it. */
export interface GraphEnvironment {
  baseUrl: string;
  catalogAppId: string;
  /** Client credentials, by default the bot's own registration; absent means managed identity. */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  authorityHost?: string;
}

const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/** Reads the Graph settings; pushes a problem naming the variable for anything wrong. */
export function readGraphSettings(str: (name: string) => string | undefined, problems: string[]): GraphEnvironment | undefined {
  const flag = (str('GRAPH_INSTALL') ?? 'off').toLowerCase();
  if (!ON.has(flag) && !OFF.has(flag)) problems.push(`GRAPH_INSTALL: "${flag}" must be on or off`);
  const baseUrl = str('GRAPH_BASE_URL') ?? 'https://graph.microsoft.com';
  if (!/^https?:\/\//.test(baseUrl)) problems.push('GRAPH_BASE_URL: must be an http(s):// URL');
  const authorityHost = str('GRAPH_AUTHORITY_HOST');
  if (authorityHost && !/^https?:\/\//.test(authorityHost)) problems.push('GRAPH_AUTHORITY_HOST: must be an http(s):// URL');
  if (!ON.has(flag)) return undefined;
  const catalogAppId = str('TEAMS_APP_CATALOG_ID');
  if (!catalogAppId) problems.push('TEAMS_APP_CATALOG_ID: required with GRAPH_INSTALL=on (the app id shown in the Teams admin centre)');
  const clientId = str('GRAPH_CLIENT_ID') ?? str('BOT_ID');
  const clientSecret = str('GRAPH_CLIENT_SECRET') ?? str('BOT_PASSWORD');
  const tenantId = str('GRAPH_TENANT_ID') ?? str('BOT_TENANT_ID');
  if (clientSecret && !tenantId) problems.push('GRAPH_TENANT_ID: required with GRAPH_INSTALL=on (or set BOT_TENANT_ID)');
  if (!clientSecret && !clientId) problems.push('GRAPH_CLIENT_ID: required with GRAPH_INSTALL=on (or set BOT_ID)');
  return { baseUrl, catalogAppId: catalogAppId ?? '', tenantId, clientId, clientSecret, authorityHost };
}
