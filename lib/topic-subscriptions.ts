import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { grantSecretRefs } from './secret-grants.js';

/**
 * Subscribes a function to topics of the stateful stack from the service stack: the subscription and the
 * invoke permission live beside the function, so the stateful stack never refers to the service stack (a
 * `LambdaSubscription` would put them in the topic's stack and make the two stacks depend on each other).
 * `secretRef`, when given, is the one secret the function may read (the forwarder's webhook URLs).
 */
export interface TopicSubscriberProps {
  readonly fn: lambda.IFunction;
  readonly topics: Readonly<Record<string, sns.ITopic>>;
  /** A Secrets Manager ARN or an SSM parameter name or ARN. @default - no secret */
  readonly secretRef?: string;
}

export function subscribeFunction(stack: Stack, id: string, props: TopicSubscriberProps): void {
  for (const [name, topic] of Object.entries(props.topics)) {
    new sns.Subscription(stack, `${id}-${name}-subscription`, {
      topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: props.fn.functionArn,
    });
    props.fn.addPermission(`${id}-${name}-invoke`, {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      sourceArn: topic.topicArn,
    });
  }
  if (props.secretRef) grantSecretRefs(stack, props.fn, [props.secretRef]);
}
