/**
 * lifeboat plan DIR --as NAME: the recovery plan. Thin over the recovery
 * engine (electron/recovery/): the waves, breaches and critical path are the
 * engine's; this file writes what a person needs to read at 3 a.m.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { DependencyEdge, PlanService, RecoverGroup, RecoveryPlan } from '../../../shared/recovery.js';
import { planOf } from '../../operations/recovery.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { serviceList } from '../option-values.js';
import { minutes, plural } from '../output-format.js';
import { defineVerb } from '../verb.js';

const LINE = 'plan DIR --as NAME [--services A,B] [--fail-on-breach] [--json]';
const USAGE = `lifeboat ${LINE}`;

function breachLine(service: PlanService): string {
  return `RTO not achievable on paper: ${service.title} back after ${service.lowerBound ? 'at least ' : ''}${minutes(service.finishMinute)}, RTO ${minutes(service.rtoMinutes ?? 0)}`;
}

/** "A → B": A depends on B. */
function edgeLine(edge: DependencyEdge): string {
  return `${edge.from.title} → ${edge.to.title}`;
}

/** One bracket per recover-together group in a wave line, before the services recovered alone. */
function waveNames(plan: RecoveryPlan, services: readonly PlanService[]): string {
  const groups = plan.groups.filter((g) => services.some((s) => s.group === g.index));
  const bracketed = groups.map((g) =>
    g.services.length === 1 ? `[depends on itself: ${g.services[0]?.title ?? ''}]` : `[together: ${g.services.map((m) => m.title).join(', ')}]`,
  );
  const alone = services.filter((s) => s.group === null).map((s) => s.title);
  return [...bracketed, ...alone].join(', ');
}

/** What a person needs to untangle a group: its members, its loops, and the fewest dependencies to drop. */
function groupLines(group: RecoverGroup, number: number): string[] {
  const first = group.services[0]?.title ?? '';
  if (group.services.length === 1) {
    return [`  ${first} depends on itself: remove that "depends on" entry.`];
  }
  const atLeast = group.cycleCountComplete ? '' : 'at least ';
  const lines = [
    `  Group ${number}, wave ${group.wave + 1}: ${group.services.map((m) => m.title).join(', ')}`,
    `    ${atLeast}${plural(group.cycleCount, 'cycle')}:`,
    ...group.cycles.map((cycle) => `      ${cycle.map((m) => m.title).join(' → ')}`),
  ];
  const more = group.cycleCount - group.cycles.length;
  if (more > 0) {
    lines.push(`      …and ${atLeast}${more} more`);
  }
  if (group.suggestedBreaks.length > 0) {
    const heading = group.suggestedBreaksExact
      ? `Suggested ${group.suggestedBreaks.length === 1 ? 'break' : `breaks (${group.suggestedBreaks.length})`} (the fewest possible)`
      : `Suggested breaks (${group.suggestedBreaks.length}, few but not proven fewest: a large group)`;
    lines.push(`    ${heading}: ${group.suggestedBreaks.map(edgeLine).join(', ')}`);
    lines.push(
      `    Drop ${group.suggestedBreaks.length === 1 ? 'that "depends on" entry' : 'those "depends on" entries'}, or mark ${group.suggestedBreaks.length === 1 ? 'it' : 'them'} soft: lifeboat.dev/starts-without`,
    );
  }
  return lines;
}

export function formatPlan(plan: RecoveryPlan): string {
  const all = plan.waves.flatMap((wave) => wave.services);
  if (all.length === 0) {
    return 'The vault has no services yet, so there is nothing to plan. Add them with `lifeboat add --type service` or sync a catalog.\n';
  }
  const lines: string[] = [];
  const asked = plan.scope.map((id) => all.find((s) => s.id === id)?.title ?? id);
  lines.push(
    asked.length === 0
      ? `Recovery plan for every service (${plural(all.length, 'service')}, ${plural(plan.waves.length, 'wave')}):`
      : `Recovery plan for ${asked.join(', ')} and what ${asked.length === 1 ? 'it needs' : 'they need'} (${plural(all.length, 'service')}, ${plural(plan.waves.length, 'wave')}):`,
    '',
  );
  for (const wave of plan.waves) {
    lines.push(`Wave ${wave.index + 1}${wave.services.length > 1 ? ' (in parallel)' : ''}: ${waveNames(plan, wave.services)}`);
  }
  lines.push('');

  const path = plan.criticalPath.services;
  // Honest planning (plan-verdicts.ts): the engine's words; an unknown total is never "at least 0 min".
  if (plan.paper.total.state === 'unknown') {
    lines.push(`Time on paper: ${plan.paper.total.text}.`);
  } else {
    const steps = path.map((s) => {
      const group = s.group === null ? undefined : plan.groups[s.group];
      const name = group ? `together (${group.services.map((m) => m.title).join(', ')})` : s.title;
      const extra = group && group.groupMinutes > 0 ? ` + ${minutes(group.groupMinutes)} group time` : '';
      return s.estimatedMinutes === null ? `${name} (no estimate)${extra}` : `${name} ${minutes(s.estimatedMinutes)}${extra}`;
    });
    lines.push(`Critical path: ${steps.join(' → ')}`, `Time on paper (unlimited hands): ${plan.paper.total.text}`);
  }
  lines.push('');

  lines.push(...plan.breaches.map(breachLine));
  // "ok" only when every RTO is set and met; unknowns are said, as unknown.
  lines.push(...plan.paper.lines.filter((line) => line.tone !== 'bad').map((line) => `${line.tone === 'unknown' ? 'Unknown: ' : ''}${line.text}.`));

  if (plan.groups.length > 0) {
    lines.push('', 'Recover together (they depend on each other: no restore order exists between them):');
    plan.groups.forEach((group, i) => lines.push(...groupLines(group, i + 1)));
  }
  if (plan.softDependencies.length > 0) {
    lines.push('', 'Can start without (soft, not ordered by):', ...plan.softDependencies.map((edge) => `  ${edgeLine(edge)}`));
  }
  if (plan.unestimated.length > 0) {
    lines.push(
      '',
      `No time estimate (unknown; counted as 0 min, so every time after them is a lower bound): ${plan.unestimated.map((s) => s.title).join(', ')}`,
    );
  }
  if (plan.missing.length > 0) {
    lines.push('', 'Missing dependencies (not services in this vault, so not in the plan):');
    lines.push(...plan.missing.map((m) => `  ${m.serviceTitle} → ${m.ref}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Exit 0 whatever the plan says: a breach is information about the catalog,
 * not a failure of the command. --fail-on-breach makes it exit 1, for the
 * catalog repository's CI.
 */
export const planVerb = defineVerb({
  name: 'plan',
  group: 'recovery',
  summary: 'the recovery plan: in which waves services come back, the critical path, and RTOs not achievable on paper',
  usage: [
    {
      line: LINE,
      note: ['waves, critical path, RTOs not achievable on paper, missing', 'dependencies; exits 0 even with breaches (1 with --fail-on-breach)'],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    services: {
      type: 'string',
      value: 'A,B',
      multiple: true,
      help: 'plan only these services (ids, titles or entity refs, comma-separated) and what they need',
    },
    'fail-on-breach': { type: 'boolean', help: 'exit 1 when an RTO is not achievable on paper (for CI)' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    if (positionals.length > 1) {
      throw new LifeboatError('CLI_USAGE', `Unexpected "${positionals[1] ?? ''}": name services with --services A,B. Usage: ${USAGE}`);
    }
    const services = serviceList(values.services);
    if (values.services !== undefined && services.length === 0) {
      throw new LifeboatError('CLI_USAGE', `--services needs at least one service id or title. Usage: ${USAGE}`);
    }
    const plan = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(planOf(session, services)));
    if (values.json) {
      printJson(ctx, plan);
    } else {
      ctx.io.out(formatPlan(plan));
    }
    if (values['fail-on-breach'] && plan.breaches.length > 0) {
      ctx.io.err(`lifeboat: ${plural(plan.breaches.length, 'RTO is', 'RTOs are')} not achievable on paper (--fail-on-breach).\n`);
      return 1;
    }
    return 0;
  },
});
