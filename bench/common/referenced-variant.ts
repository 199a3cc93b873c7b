// Benchmark configurations named `referenced` or `referenced@<programBudget>` (for example
// `referenced@2%`): the referenced source at its defaults, or with that program budget.

/** The referenced source's options a configuration name stands for; null if it names another configuration. */
export function referencedVariant(name: string): { programBudget?: string } | null {
  const m = /^referenced(?:@(\d+(?:\.\d+)?%))?$/.exec(name);
  if (m === null) return null;
  return m[1] === undefined ? {} : { programBudget: m[1] };
}
