import type { Labels } from './model.js';

/**
 * Annotation and subject templates: `{{ value }}`, `{{ labels.NAME }}`, `{{ rule }}`, `{{ state }}`,
 * `{{ severity }}`. Text without `{{` is returned as it is, so rendering an already rendered annotation
 * changes nothing.
 */
export interface TemplateVars {
  readonly value: number | undefined;
  readonly labels: Labels;
  readonly rule: string;
  readonly state: string;
  readonly severity: string;
}

export type Rendered = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

const EXPR = /\{\{\s*([^{}]*?)\s*\}\}/g;

const formatValue = (v: number | undefined) =>
  v === undefined ? 'no data' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));

export function renderTemplate(template: string, vars: TemplateVars): Rendered {
  if (!template.includes('{{')) return { ok: true, text: template };
  let error: string | undefined;
  const text = template.replace(EXPR, (_all, expr: string) => {
    if (expr === 'value') return formatValue(vars.value);
    if (expr === 'rule' || expr === 'state' || expr === 'severity') return vars[expr];
    const label = /^labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
    if (label) return vars.labels[label[1]!] ?? '';
    error ??= `unknown template expression {{ ${expr} }}`;
    return '';
  });
  if (error) return { ok: false, error };
  if (text.includes('{{') || text.includes('}}')) return { ok: false, error: 'unbalanced {{ }} in template' };
  return { ok: true, text };
}
