/** The version of Func, shown by the CLI, the API description and heartbeats. */
export const VERSION = '0.1.0';
