// jsdom ships no types and @types/jsdom follows jsdom 30+; the baseline uses only this much.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: { url?: string });
    readonly window: Window & typeof globalThis;
  }
}
