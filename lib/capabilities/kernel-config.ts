// The running kernel's build configuration, the last-resort evidence for features that leave
// no other read-only trace (such as DAMON's vaddr operations when no DAMON context exists).
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

export type ConfigValue = 'y' | 'm' | 'n';

/** The value of `CONFIG_<name>` in a kernel config text; undefined when the text does not mention it. */
export function configOption(text: string, name: string): ConfigValue | undefined {
  const escaped = name.replace(/[^A-Z0-9_]/g, '');
  const set = new RegExp(`^CONFIG_${escaped}=(y|m)$`, 'm').exec(text);
  if (set) return set[1] as ConfigValue;
  if (new RegExp(`^# CONFIG_${escaped} is not set$`, 'm').test(text)) return 'n';
  return undefined;
}

/** The config text and where it came from: /boot/config-<release>, else /proc/config.gz. */
export async function readKernelConfig(release: string): Promise<{ text: string; source: string } | undefined> {
  const bootConfig = `/boot/config-${release}`;
  try {
    return { text: await readFile(bootConfig, 'utf8'), source: bootConfig };
  } catch {
    // Not installed there; try the in-kernel copy (CONFIG_IKCONFIG_PROC).
  }
  try {
    const compressed = await readFile('/proc/config.gz');
    return { text: (await promisify(gunzip)(compressed)).toString('utf8'), source: '/proc/config.gz' };
  } catch {
    return undefined;
  }
}
