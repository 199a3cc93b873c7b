// The shape of the compiled addon's exports. Each component declares its own part next to
// its TypeScript wrapper; this file only joins them.
import type { MonitorBinding } from '../monitor/native.js';
import type { MemoryBinding } from '../memory/native.js';
import type { CapabilitiesBinding } from '../capabilities/native.js';
import type { ProcfsBinding } from '../procfs/native.js';
import type { SourcesBinding } from '../sources/native.js';
import type { TlbSimBinding } from '../simulator/native.js';

export interface PlatformBinding {
  platform: { backend: 'linux' | 'unsupported'; napiVersion: number };
}

export type NativeBinding = PlatformBinding & ProcfsBinding & MemoryBinding & CapabilitiesBinding & MonitorBinding & SourcesBinding & TlbSimBinding;
