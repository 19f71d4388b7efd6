/** A series counts server errors when its `status_class` (or `status`) tag is 5xx. */
export const isServerErrorStatus = (tags: Readonly<Record<string, string>>) => {
  const status = tags.status_class ?? tags.status ?? '';
  return status.startsWith('5');
};
