/** SNS topics, defined once for the CDK stacks and for local mode's notifier. */
export const TOPICS = {
  critical: { envVar: 'VIGIL_TOPIC_CRITICAL' },
  warning: { envVar: 'VIGIL_TOPIC_WARNING' },
  info: { envVar: 'VIGIL_TOPIC_INFO' },
  escalation: { envVar: 'VIGIL_TOPIC_ESCALATION' },
  deployments: { envVar: 'VIGIL_TOPIC_DEPLOYMENTS' },
} as const;

export type TopicName = keyof typeof TOPICS;

export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];
