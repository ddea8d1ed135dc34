/**
 * How every test and the benchmark start Debian's Chromium: headless, and with background networking off, since
 * this machine's closed network refuses Chromium's own connections (and nothing may leave the page anyway).
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
