/**
 * The one door to jspurefix: it needs the `reflect-metadata` polyfill loaded before any of its modules
 * (it uses tsyringe), and ESM evaluates imports in order — so import jspurefix from here, never directly.
 * For the same reason the hook that spares it mathjs (without-mathjs.ts) comes first.
 */
import './without-mathjs.ts';
import 'reflect-metadata';

export * from 'jspurefix';
