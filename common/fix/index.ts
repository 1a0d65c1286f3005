/**
 * What both FIX sides share on top of jspurefix: session descriptions and a launcher, field mappings to
 * common/shfe types, and the message shapes Aurum exchanges. Import jspurefix itself via `./jspurefix.ts`.
 */
export * from './fields.ts';
export * from './launcher.ts';
export * from './messages.ts';
