import type { CheckView, Verdict, VerificationView } from './record.js';

/** How `vigil verify` prints: plain lines for a terminal or a CI log, and Markdown for a job summary. */

const elapsed = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

/** One line per check whose state changed since the last look (or that appeared). */
export function progressLines(
  previous: ReadonlyMap<string, string>,
  view: VerificationView,
  sinceStartMs: number,
): string[] {
  const lines: string[] = [];
  for (const check of view.checks) {
    const before = previous.get(check.name);
    if (before === check.state) continue;
    const change = before === undefined ? check.state : `${before} → ${check.state}`;
    lines.push(`[${elapsed(sinceStartMs)}] ${check.name}: ${change}${check.detail ? ` — ${check.detail}` : ''}`);
  }
  return lines;
}

const title = (view: VerificationView) =>
  [view.service, view.version, view.environment ? `in ${view.environment}` : undefined].filter(Boolean).join(' ');

export function verdictText(view: VerificationView & { verdict: Verdict }): string {
  const lines = [
    `verdict: ${view.verdict.toUpperCase()}${view.score !== undefined ? ` (score ${view.score})` : ''}${title(view) ? ` — ${title(view)}` : ''}`,
  ];
  for (const reason of view.reasons) lines.push(`  - ${reason}`);
  if (view.checks.length > 0) {
    lines.push('checks:');
    const width = Math.max(...view.checks.map((c) => c.name.length));
    for (const c of view.checks) lines.push(`  ${c.name.padEnd(width)}  ${c.state}${c.detail ? ` — ${c.detail}` : ''}`);
  }
  lines.push(`rollback: ${view.rollback ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n`;
}

const ICON: Record<Verdict, string> = { pass: '✅', marginal: '⚠️', fail: '❌', inconclusive: '❔' };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export interface SummaryExtras {
  readonly statusUrl?: string;
  readonly rollbackCommand?: string;
}

export function verdictMarkdown(view: VerificationView & { verdict: Verdict }, extras: SummaryExtras = {}): string {
  const lines = [
    `### ${ICON[view.verdict]} Vigil verification: ${view.verdict}${title(view) ? ` — ${cell(title(view))}` : ''}`,
    '',
    `- Verification: \`${view.id}\`${extras.statusUrl ? ` (${extras.statusUrl})` : ''}`,
  ];
  if (view.score !== undefined) lines.push(`- Score: ${view.score}`);
  lines.push(
    `- Rollback: ${view.rollback ? 'yes' : 'no'}${extras.rollbackCommand ? ` — ${extras.rollbackCommand}` : ''}`,
  );
  if (view.reasons.length > 0) {
    lines.push('', '**Reasons**', '');
    for (const reason of view.reasons) lines.push(`- ${cell(reason)}`);
  }
  if (view.checks.length > 0) lines.push('', checksTable(view.checks));
  return `${lines.join('\n')}\n`;
}

function checksTable(checks: readonly CheckView[]): string {
  const rows = checks.map((c) => `| ${cell(c.name)} | ${cell(c.state)} | ${cell(c.detail ?? '')} |`);
  return ['| Check | State | Detail |', '| --- | --- | --- |', ...rows].join('\n');
}

/** For the job summary when the CLI ends without a verdict (timeout, the API unreachable while polling). */
export function noVerdictMarkdown(id: string, statusUrl: string, why: string): string {
  return `### ❔ Vigil verification: no verdict\n\n- Verification: \`${id}\` (${statusUrl})\n- ${cell(why)}\n`;
}
