/** How many bots step a minute together at most: enough to share commits, few enough that one group's synchronous work stays short. */
export const STEP_GROUP = 100;

/**
 * Items (held bots) in groups that step a minute together: each user's in one group, in the order
 * given, groups filled with whole users up to `max` items (a user with more bots than that is a
 * group alone). Their writes asked for together share the store's commits (sqlite/group.ts).
 */
export function stepGroups<T>(items: Iterable<T>, userOf: (item: T) => string, max = STEP_GROUP): T[][] {
  const byUser = new Map<string, T[]>();
  for (const item of items) {
    const u = userOf(item);
    const list = byUser.get(u);
    if (list) list.push(item);
    else byUser.set(u, [item]);
  }
  const groups: T[][] = [];
  let group: T[] = [];
  for (const list of byUser.values()) {
    if (group.length > 0 && group.length + list.length > max) {
      groups.push(group);
      group = [];
    }
    group.push(...list);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
