/**
 * The one door to jspurefix: it needs the `reflect-metadata` polyfill loaded before any of its modules
 * (it uses tsyringe), and ESM evaluates imports in order — so import jspurefix from here, never directly.
 */
import 'reflect-metadata';

export * from 'jspurefix';
