// A stack's own names, replaced by placeholders so that two stacks making the same change compare
// equal: the stack id, the `<team>-<env>` inside a team stack's id (bucket, table and function
// names carry it), the team name, and twelve-digit account ids. Longest first, so `team-a-dev` is
// replaced before `a-dev`; only whole names (not inside a longer name of letters and digits); a
// team name shorter than three characters is left alone (replacing `a` would rewrite everything).

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const whole = (name: string) => new RegExp(`(?<![a-z0-9])${escape(name)}(?![a-z0-9])`, "g");

export function generalizer(stack: string): (text: string) => string {
  const names: [RegExp, string][] = [[whole(stack), "<stack>"]];
  const team = /^team-(.+)-([a-z0-9]+)$/.exec(stack);
  if (team) {
    names.push([whole(`${team[1]}-${team[2]}`), "<team>-<env>"]);
    if (team[1].length >= 3) names.push([whole(team[1]), "<team>"]);
  }
  names.push([/(?<![0-9])[0-9]{12}(?![0-9])/g, "<account-id>"]);
  return (text) => names.reduce((t, [re, ph]) => t.replace(re, ph), text);
}
