import type { Labels } from './model.js';

/**
 * Annotation templates: `{{ value }}` and `{{ labels.NAME }}` (also `{{ $value }}` and `{{ $labels.NAME }}`,
 * as Prometheus writes them), nothing else, so a template either parses now or is refused when the rule is
 * saved. Rendering never throws: a label that is absent renders empty, as in Prometheus.
 */
const PLACEHOLDER = /\{\{(.*?)\}\}/g;
const FIELD = /^\s*\$?(value|labels\.([A-Za-z_][A-Za-z0-9_.]*))\s*$/;

type Part = { readonly text: string } | { readonly field: 'value' } | { readonly label: string };

export function compileTemplate(template: string): { ok: true; parts: Part[] } | { ok: false; message: string } {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const field = FIELD.exec(match[1] ?? '');
    if (!field) {
      return {
        ok: false,
        message: `"{{${match[1]}}}" is not a template field; use {{ value }} or {{ labels.NAME }}`,
      };
    }
    parts.push({ text: template.slice(last, match.index) });
    parts.push(field[2] ? { label: field[2] } : { field: 'value' });
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  if (tail.includes('{{') || tail.includes('}}')) return { ok: false, message: 'has an unclosed "{{" or a stray "}}"' };
  parts.push({ text: tail });
  return { ok: true, parts };
}

/** A sentence saying what is wrong with the template, or undefined when it parses. */
export const templateProblem = (template: string): string | undefined => {
  const compiled = compileTemplate(template);
  return compiled.ok ? undefined : compiled.message;
};

/** Values print as Prometheus' `humanize`-free default does: integers as they are, others to 4 significant digits. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Renders a template; one that does not parse is returned as written (the send-time rule of the issue). */
export function renderTemplate(template: string, data: { value: number | undefined; labels: Labels }): string {
  const compiled = compileTemplate(template);
  if (!compiled.ok) return template;
  return compiled.parts
    .map((p) => ('text' in p ? p.text : 'label' in p ? (data.labels[p.label] ?? '') : formatValue(data.value)))
    .join('');
}
