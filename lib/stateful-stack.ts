import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUE_NAMES, type QueueName } from '../functions/catalog/queues.js';
import { TABLE_NAMES, TABLES, type TableName, type TableSpec } from '../functions/catalog/tables.js';
import { TOPIC_NAMES, type TopicName } from '../functions/catalog/topics.js';
import { type DeploySettings, isProduction } from './settings.js';

export interface StatefulStackProps extends StackProps {
  readonly settings: DeploySettings;
}

/**
 * What outlives the functions: tables, topics, the key that encrypts the topics, and the admin token
 * secret. In `prod` everything here is retained and the tables are deletion-protected.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableName, dynamodb.Table>;
  readonly topics: Record<TopicName, sns.Topic>;
  /** The dead-letter queue of notifications that could not be published (`functions/catalog/queues.ts`). */
  readonly queues: Record<QueueName, sqs.Queue>;
  readonly topicKey: kms.Key;
  readonly adminTokenSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const prod = isProduction(props.settings);
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const attr = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });

    this.tables = Object.fromEntries(
      TABLE_NAMES.map((name) => {
        const spec: TableSpec = TABLES[name];
        const table = new dynamodb.Table(this, `${spec.name}-table`, {
          partitionKey: attr(spec.partitionKey),
          ...(spec.sortKey ? { sortKey: attr(spec.sortKey) } : {}),
          ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
          billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
          encryption: dynamodb.TableEncryption.AWS_MANAGED,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          deletionProtection: prod,
          removalPolicy,
        });
        for (const index of spec.indexes) {
          table.addGlobalSecondaryIndex({
            indexName: index.name,
            partitionKey: attr(index.partitionKey),
            ...(index.sortKey ? { sortKey: attr(index.sortKey) } : {}),
          });
        }
        return [name, table];
      }),
    ) as Record<TableName, dynamodb.Table>;

    this.topicKey = new kms.Key(this, 'topic-key', {
      description: 'Encrypts Vigil SNS topics',
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch alarms publish to the encrypted topics, so the service needs the key.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.topics = Object.fromEntries(
      TOPIC_NAMES.map((name) => {
        const topic = new sns.Topic(this, `${name}-topic`, {
          topicName: `vigil-${props.settings.stage}-${name}`,
          displayName: `Vigil ${name}`,
          masterKey: this.topicKey,
          enforceSSL: true,
        });
        topic.applyRemovalPolicy(removalPolicy);
        if (name !== 'deployments') {
          if (props.settings.alertEmail) {
            topic.addSubscription(new subscriptions.EmailSubscription(props.settings.alertEmail));
          }
          for (const url of props.settings.alertHttpsEndpoints) {
            topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }));
          }
        }
        return [name, topic];
      }),
    ) as Record<TopicName, sns.Topic>;

    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => {
        const queue = new sqs.Queue(this, `${name}-queue`, {
          queueName: `vigil-${props.settings.stage}-${name}`,
          // SQS-managed keys: a customer key would need kms:GenerateDataKey* on every sender's role.
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
          removalPolicy,
        });
        Validations.of(queue).acknowledge({
          id: 'AwsSolutions-SQS3',
          reason:
            'This queue is itself the dead-letter queue: the evaluator sends it the notifications whose publishing kept failing after the outbox retries, and an alarm watches it.',
        });
        return [name, queue];
      }),
    ) as Record<QueueName, sqs.Queue>;

    this.adminTokenSecret = new secretsmanager.Secret(this, 'admin-token', {
      description: 'Vigil admin API token (the deploy installs only its SHA-256 hash)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.adminTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The admin token is a bootstrap credential: operators mint scoped tokens with it and rotate it by putting a new secret value and redeploying (the deploy hook replaces the stored hash). Automatic rotation without that hook would lock operators out.',
    });
  }
}
