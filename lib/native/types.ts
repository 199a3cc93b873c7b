// The shape of the compiled addon's exports. Each component declares its own part next to
// its TypeScript wrapper; this file only joins them.
import type { MonitorBinding } from '../monitor/native.js';

export interface PlatformBinding {
  platform: { backend: 'linux' | 'unsupported'; napiVersion: number };
}

export type NativeBinding = PlatformBinding & MonitorBinding;
