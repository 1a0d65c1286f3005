/**
 * Structural validation of one FIX frame with jspurefix's own parser (a private instance, not attached to
 * any session). jspurefix's session parser throws on some well-framed but structurally broken messages
 * (e.g. a repeating-group count tag given twice) and that would end the session; the framing guard asks
 * this validator first and turns such messages into a session-level Reject instead (see guard.ts).
 */
import {
  AsciiParser,
  DITokens,
  type ElasticBuffer,
  type IJsFixConfig,
  SessionContainer,
} from '../../common/fix/jspurefix.ts';
import { acceptorDescription, PinoFixLogFactory } from '../../common/fix/launcher.ts';
import type { Logger } from '../../common/log.ts';

/** Returns the parse error of a frame, or undefined when jspurefix parses it. */
export type FrameValidator = (frame: Buffer) => string | undefined;
/** Decodes a frame into jspurefix's object form (undefined when it does not parse). */
export type FrameDecoder = (frame: Buffer) => Record<string, unknown> | undefined;

/** Builds a validator over the FIX 4.4 dictionary the acceptor uses. */
export async function createFrameValidator(log?: Logger): Promise<FrameValidator> {
  return (await createFrameTools(log)).validate;
}

/** A validator and a decoder sharing one private parser. */
export async function createFrameTools(
  log?: Logger,
): Promise<{ validate: FrameValidator; decode: FrameDecoder }> {
  const sc = new SessionContainer();
  sc.registerGlobal(new PinoFixLogFactory(log));
  const child = await sc.makeSystem(acceptorDescription({ senderCompId: 'VALIDATOR', port: 1 }));
  const config = child.resolve<IJsFixConfig>(DITokens.IJsFixConfig);
  const parser = new AsciiParser(config, null, child.resolve<ElasticBuffer>(DITokens.ParseBuffer));
  let err: Error | undefined;
  let obj: Record<string, unknown> | undefined;
  let wantObj = false;
  parser.on('error', (e: Error) => {
    err = e;
  });
  parser.on('msg', (_t: string, view: { toObject(): unknown }) => {
    if (wantObj) obj = (view?.toObject() ?? undefined) as Record<string, unknown> | undefined;
  });
  const run = (frame: Buffer, decode: boolean) => {
    err = undefined;
    obj = undefined;
    wantObj = decode;
    try {
      parser.parseBuffer(frame);
    } catch (e) {
      err ??= e as Error;
      parser.reset();
    }
  };
  return {
    validate: (frame) => {
      run(frame, false);
      return err?.message;
    },
    decode: (frame) => {
      run(frame, true);
      return err ? undefined : obj;
    },
  };
}
