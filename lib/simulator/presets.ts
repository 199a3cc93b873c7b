// Machine presets. Their figures and sources live in native/core/tlbsim/presets.cc (one
// source of truth); this file reads them from the addon.
import { nativeBinding } from '../native/binding.js';
import type { MachineConfig } from './types.js';

let cache: Record<string, MachineConfig> | undefined;

function all(): Record<string, MachineConfig> {
  cache ??= nativeBinding().tlbsim.presets();
  return cache;
}

/** Names of the built-in machine presets (`zen4-vm`, `zen2`, ..., `champsim`). */
export function presetNames(): string[] {
  return Object.keys(all());
}

/** A deep copy of a preset's configuration, or undefined for an unknown name. */
export function presetConfig(name: string): MachineConfig | undefined {
  const config = all()[name];
  return config ? (structuredClone(config) as MachineConfig) : undefined;
}
