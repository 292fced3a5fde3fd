/** Kept in step with package.json by a unit test (reading package.json at start-up would cost time). */
export const VERSION = '0.1.0';
