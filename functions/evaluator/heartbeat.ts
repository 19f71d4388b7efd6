/**
 * The metric each completed evaluation publishes (namespace `Vigil`, dimension `service=vigil-evaluator`);
 * the service stack's heartbeat alarm treats its absence as breaching.
 */
export const HEARTBEAT_METRIC = 'EvaluatorHeartbeat';
export const HEARTBEAT_SERVICE = 'vigil-evaluator';
