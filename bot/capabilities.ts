import type { CapabilityModule } from './chat/capability';

/**
 * The capabilities this build of Lantern offers, in the order their commands are tried. Core
 * (help, register) is wired separately in lantern.ts because it needs the dispatcher.
 */
export const capabilityModules: CapabilityModule<any>[] = [];
