/**
 * A Slack-compatible incoming-webhook payload (Slack, Mattermost, Rocket.Chat, Discord's `/slack`
 * endpoint) for one SNS notification from Vigil: `text` for clients that show only that, and one
 * attachment coloured by state with the summary, description, value, labels and links.
 */
export interface SnsNotice {
  readonly subject: string | null | undefined;
  readonly message: string;
  readonly attributes: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

export interface SlackPayload {
  readonly text: string;
  readonly attachments: readonly {
    readonly color: string;
    readonly title: string;
    readonly title_link?: string;
    readonly text: string;
    readonly fields: readonly { readonly title: string; readonly value: string; readonly short: boolean }[];
    readonly footer: string;
  }[];
}

const COLOR: Record<string, string> = {
  firing: '#d1242f',
  resolved: '#1a7f37',
  nodata: '#6e7781',
  pending: '#bf8700',
};

/** Slack's own escaping for text it formats: `&`, `<`, `>`. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function parseBody(message: string): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(message);
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function slackPayload(n: SnsNotice): SlackPayload {
  const attr = (k: string) => n.attributes[k]?.Value;
  const body = parseBody(n.message);
  const subject = n.subject || str(body?.subject) || 'Vigil notification';
  if (!body) {
    // Not one of Vigil's JSON bodies (a message published by hand): forward it as text.
    return {
      text: esc(subject),
      attachments: [
        {
          color: COLOR.nodata!,
          title: esc(subject),
          text: esc(n.message.slice(0, 3_000)),
          fields: [],
          footer: 'Vigil',
        },
      ],
    };
  }
  const alert = (body.alert ?? {}) as Record<string, unknown>;
  const annotations = (body.annotations ?? {}) as Record<string, unknown>;
  const links = (body.links ?? {}) as Record<string, unknown>;
  const reason = body.reason as { code?: string; message?: string } | null | undefined;
  const state = str(alert.state) ?? attr('state') ?? '';
  const labels = Object.entries((alert.labels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const value = alert.value === null || alert.value === undefined ? undefined : String(alert.value);
  const fields = [
    ...(value !== undefined ? [{ title: 'Value', value: esc(value), short: true }] : []),
    { title: 'Severity', value: esc(str(alert.severity) ?? attr('severity') ?? ''), short: true },
    ...(labels ? [{ title: 'Labels', value: esc(labels), short: false }] : []),
    ...(reason?.message ? [{ title: 'Why', value: esc(`${reason.code}: ${reason.message}`), short: false }] : []),
    ...(str(links.runbook) ? [{ title: 'Runbook', value: esc(str(links.runbook)!), short: false }] : []),
  ];
  const dashboard = str(links.dashboard);
  return {
    text: esc(subject),
    attachments: [
      {
        color: COLOR[state] ?? (body.kind === 'escalation' ? COLOR.firing! : COLOR.pending!),
        title: esc(str(annotations.summary) ?? subject),
        ...(dashboard ? { title_link: dashboard } : {}),
        text: esc(str(annotations.description) ?? ''),
        fields,
        footer: `Vigil · ${esc(str(body.notificationId) ?? attr('notificationId') ?? '')}`,
      },
    ],
  };
}
