// The label on Crossdock's own test image (the probe each engine runs at detection). It lives in
// the contract so the window can tell that image from the user's by its label alone, whichever
// engine holds it.
export const PROBE_LABEL = 'org.crossdock.probe';
