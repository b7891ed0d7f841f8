import path from 'node:path';
import { ConfigError } from './config/configErrors';
import { readGraphSettings, type GraphEnvironment } from './teams/graphSettings';
import { isOwnKey, own } from './core/ownLookup';
import { readSemanticSettings } from './policy/semantic/semanticSettings';

/** Every environment variable Lantern reads, in one place (the README's settings table mirrors it). */
export interface Settings {
  port: number;
  /** The interface to listen on: loopback in local mode, every interface with BOT_ID, unless HOST says. */
  host: string;
  bot: { appId?: string; password?: string; type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI'; tenantId?: string };
  storage:
    | { kind: 'embedded'; dataDir: string }
    | { kind: 'connection-string'; connectionString: string }
    | { kind: 'managed-identity'; endpoint: string; clientId?: string };
  tablePrefix: string;
  schoolConfigFile?: string;
  policyDir?: string;
  /** Policies every school of a trust includes (`trust.policies` in a trust file; never from the environment). */
  trustPolicyDir?: string;
  /** `embeddings` set: policy retrieval also uses the endpoint's embeddings and lets `model` re-rank (bot/policy/semantic). */
  openAI?: { kind: 'azure' | 'openai'; endpoint?: string; apiKey: string; model: string; embeddings?: string };
  schedulerIntervalMs: number;
  /** Teams requests a second the app's broadcasts may use, every school and instance together (TEAMS_REQUESTS_PER_SECOND). */
  teamsRequestsPerSecond: number;
  /** How long the broadcast sender lease holds without a renewal (BROADCAST_LEASE_MS): how soon a killed sender is replaced. */
  broadcastLeaseMs: number;
  /** GRAPH_INSTALL=on: install the app for people in no team with Lantern. */
  graph?: GraphEnvironment;
  /** Bot Connector for chats Graph opened, when no team has told Lantern its own. */
  teamsServiceUrl: string;
  /** LANTERN_MIGRATE_SCHOOL: the school of a trust file that owns rows stored before trusts (moved at start-up). */
  migrateSchool?: string;
}

const BOT_TYPES = { multitenant: 'MultiTenant', singletenant: 'SingleTenant', userassignedmsi: 'UserAssignedMSI' } as const;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = [];
  const str = (name: string) => {
    const v = own(env, name)?.trim();
    return v ? v : undefined;
  };
  const port = Number(str('PORT') ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: "${env.PORT}" is not a port number`);

  const rawType = (str('BOT_TYPE') ?? (str('BOT_TENANT_ID') ? 'SingleTenant' : 'MultiTenant')).toLowerCase().replace(/[^a-z]/g, '');
  const type = isOwnKey(BOT_TYPES, rawType) ? BOT_TYPES[rawType] : undefined;
  if (!type) problems.push(`BOT_TYPE: "${env.BOT_TYPE}" must be SingleTenant, UserAssignedMSI or MultiTenant`);
  const appId = str('BOT_ID');
  if (appId && type === 'SingleTenant' && !str('BOT_TENANT_ID')) problems.push('BOT_TENANT_ID: required when BOT_TYPE is SingleTenant');
  if (appId && type !== 'UserAssignedMSI' && !str('BOT_PASSWORD')) problems.push('BOT_PASSWORD: required with BOT_ID unless BOT_TYPE is UserAssignedMSI');

  const host = str('HOST') ?? (appId ? '0.0.0.0' : '127.0.0.1');
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) problems.push(`HOST: "${env.HOST}" is not a host name or address`);

  let storage: Settings['storage'];
  const cs = str('TABLES_CONNECTION_STRING');
  const endpoint = str('TABLES_ENDPOINT');
  if (cs && endpoint) problems.push('TABLES_ENDPOINT: set either TABLES_ENDPOINT or TABLES_CONNECTION_STRING, not both');
  if (endpoint && !/^https:\/\//.test(endpoint)) problems.push('TABLES_ENDPOINT: must be an https:// table endpoint');
  if (cs) storage = { kind: 'connection-string', connectionString: cs };
  else if (endpoint) storage = { kind: 'managed-identity', endpoint, clientId: str('AZURE_CLIENT_ID') };
  else storage = { kind: 'embedded', dataDir: path.resolve(str('LANTERN_DATA_DIR') ?? '.data') };

  const tablePrefix = str('TABLES_PREFIX') ?? '';
  if (!/^([A-Za-z][A-Za-z0-9]{0,20})?$/.test(tablePrefix)) problems.push('TABLES_PREFIX: letters and digits only, starting with a letter');

  let openAI: Settings['openAI'];
  const azureKey = str('AZURE_OPENAI_API_KEY');
  const openaiKey = str('OPENAI_API_KEY');
  if (azureKey) {
    const ep = str('AZURE_OPENAI_ENDPOINT');
    if (!ep) problems.push('AZURE_OPENAI_ENDPOINT: required with AZURE_OPENAI_API_KEY');
    openAI = { kind: 'azure', endpoint: ep, apiKey: azureKey, model: str('AZURE_OPENAI_DEPLOYMENT') ?? 'gpt-4o-mini' };
  } else if (openaiKey) {
    openAI = { kind: 'openai', endpoint: str('OPENAI_ENDPOINT'), apiKey: openaiKey, model: str('OPENAI_MODEL') ?? 'gpt-4o-mini' };
  }
  const semantic = readSemanticSettings(str, problems);
  if (openAI && semantic) openAI = { ...openAI, embeddings: semantic.embeddings };

  const schedulerIntervalMs = Number(str('SCHEDULER_INTERVAL_MS') ?? 30_000);
  if (!Number.isFinite(schedulerIntervalMs) || schedulerIntervalMs < 100) problems.push('SCHEDULER_INTERVAL_MS: a number of milliseconds, at least 100');

  const teamsRequestsPerSecond = Number(str('TEAMS_REQUESTS_PER_SECOND') ?? 47);
  if (!Number.isFinite(teamsRequestsPerSecond) || teamsRequestsPerSecond < 1 || teamsRequestsPerSecond > 50) problems.push("TEAMS_REQUESTS_PER_SECOND: a number from 1 to 50 (Teams' limit per app per tenant)");

  const broadcastLeaseMs = Number(str('BROADCAST_LEASE_MS') ?? 15_000);
  if (!Number.isInteger(broadcastLeaseMs) || broadcastLeaseMs < 1000 || broadcastLeaseMs > 600_000) problems.push('BROADCAST_LEASE_MS: whole milliseconds from 1000 to 600000 (10 minutes)');

  const graph = readGraphSettings(str, problems);
  const teamsServiceUrl = str('TEAMS_SERVICE_URL') ?? 'https://smba.trafficmanager.net/teams/';

  if (problems.length) throw new ConfigError('environment', problems);
  return {
    port,
    host,
    bot: { appId, password: str('BOT_PASSWORD'), type: type!, tenantId: str('BOT_TENANT_ID') },
    storage: storage!,
    tablePrefix,
    schoolConfigFile: str('SCHOOL_CONFIG'),
    policyDir: str('POLICY_DIR'),
    openAI,
    schedulerIntervalMs,
    teamsRequestsPerSecond,
    broadcastLeaseMs,
    ...(graph ? { graph } : {}),
    teamsServiceUrl,
    ...(str('LANTERN_MIGRATE_SCHOOL') ? { migrateSchool: str('LANTERN_MIGRATE_SCHOOL') } : {}),
  };
}
