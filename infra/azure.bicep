// Lantern in Azure: one Linux App Service running the bot, a user-assigned managed identity
// that is both the bot's identity and its storage credential, the Azure Bot registration with
// the Teams channel, and a Storage account used only through Azure Tables with Entra ID auth.
// No secrets or keys anywhere: shared-key access to storage is switched off.
//
// Deployed by teamsapp.yml (arm/deploy). Outputs are written back to env/.env.<env>.
// Built by the Bicep CLI release pinned in teamsapp.yml (bicepCliVersion).

@minLength(4)
@maxLength(20)
@description('Prefix for resource names, e.g. lantern-dev.')
param resourceBaseName string

@description('App Service plan SKU. B1 is the smallest with Always On.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string = 'Lantern'

@description('Path of the school configuration file inside the deployed package.')
param schoolConfig string

@description('Folder of the school policy documents inside the deployed package.')
param policyDir string

param location string = resourceGroup().location

// Web app and bot names are global; the suffix keeps two schools' deployments apart.
var uniqueSuffix = take(uniqueString(resourceGroup().id, resourceBaseName), 6)
var appName = '${resourceBaseName}-${uniqueSuffix}'
// Storage names: 3-24 lowercase letters and digits, globally unique.
var storageName = take('st${toLower(replace(resourceBaseName, '-', ''))}${uniqueSuffix}', 24)

// Storage Table Data Contributor (built-in role). Checked against the Azure built-in roles list.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra ID (the managed identity) only: no account keys, no SAS, no connection strings.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    accessTier: 'Hot'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-01-01' = {
  parent: storage
  name: 'default'
  properties: {}
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  // Deterministic name so a re-deploy updates rather than duplicates the assignment.
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: appName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Several instances share one bot registration; no sticky sessions needed or wanted.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // The package is mounted read-only and already built: skip `npm start`'s prestart build.
      appCommandLine: 'node dist/bot/index.js'
      appSettings: [
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_TYPE'
          value: 'UserAssignedMsi'
        }
        {
          name: 'BOT_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          // Read by @azure/identity so the storage client uses this identity.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'TABLES_ENDPOINT'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'SCHOOL_CONFIG'
          value: schoolConfig
        }
        {
          name: 'POLICY_DIR'
          value: policyDir
        }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: appName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0' // Teams is a standard channel: free
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Persisted by the toolkit into env/.env.<env> (names used as-is).
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TABLES_ENDPOINT string = storage.properties.primaryEndpoints.table
