import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import type { AuditLog } from '../storage/auditLog';
import type { Settings } from '../settings';
import { GraphInstaller } from './graphInstaller';
import type { GraphRoute } from './teamsMessenger';

function credentialFor(graph: NonNullable<Settings['graph']>): TokenCredential {
  const options = graph.authorityHost ? { authorityHost: graph.authorityHost } : {};
  if (graph.clientSecret) return new ClientSecretCredential(graph.tenantId!, graph.clientId!, graph.clientSecret, options);
  return new ManagedIdentityCredential({ clientId: graph.clientId! });
}

/** Graph installation when GRAPH_INSTALL=on; posts go to the Bot Connector a team last used. */
export function graphRouteFrom(settings: Settings, directory: PeopleDirectory, audit: AuditLog): GraphRoute | undefined {
  const graph = settings.graph;
  if (!graph) return undefined;
  return {
    installer: new GraphInstaller(graph, credentialFor(graph)),
    async installed(user) {
      await audit.append({
        actor: { id: 'lantern', name: 'Lantern' },
        action: 'person.app-installed',
        entityType: 'person',
        entityId: user.id,
        reason: 'installed through Microsoft Graph to reach them 1:1 (in no team with Lantern)',
        detail: { name: user.name },
      });
    },
    async where() {
      const teams = (await directory.allTeams()).filter((t) => !t.removedAt).sort((a, b) => b.syncedAt.localeCompare(a.syncedAt));
      return { serviceUrl: teams[0]?.serviceUrl ?? settings.teamsServiceUrl, tenantId: graph.tenantId ?? settings.bot.tenantId ?? teams[0]?.tenantId };
    },
  };
}
