/**
 * lifeboat status: the engine's self-test (cryptography, database) on this machine.
 */
import type { EngineStatus } from '../../../shared/contract.js';
import { exitCodeFor } from '../../../shared/errors.js';
import { runSelfTest, selfTestSteps } from '../../operations/vault-access.js';
import { COMMON_OPTIONS } from '../cli-context.js';
import { defineVerb } from '../verb.js';

function formatStatus(status: EngineStatus): string {
  const lines = status.components.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.label}: ${c.detail}`);
  lines.push(status.ready ? 'Engine ready.' : 'Engine NOT ready: see the failed checks above.');
  return `${lines.join('\n')}\n`;
}

export const statusVerb = defineVerb({
  name: 'status',
  group: 'other',
  summary: "check that the engine's cryptography and database work here; exit 1 if not",
  usage: [{ line: 'status [--json]', note: "check that the engine's cryptography and database work here" }],
  options: { json: COMMON_OPTIONS.json },
  positionals: false,
  async run(ctx, { values }) {
    const status = await runSelfTest((ctx.selfTestSteps ?? selfTestSteps)(), (done, total, label) => {
      if (!values.json && done < total) {
        ctx.io.err(`[${done + 1}/${total}] ${label}…\n`);
      }
    });
    if (values.json) {
      ctx.io.out(`${JSON.stringify(status, null, 2)}\n`);
    } else {
      ctx.io.out(formatStatus(status));
    }
    return status.ready ? 0 : exitCodeFor('ENGINE_UNAVAILABLE');
  },
});
