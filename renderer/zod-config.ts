// The window's CSP forbids eval. Zod would otherwise probe `new Function` on first use, which the
// browser reports as a CSP violation even though zod catches the error; jitless skips the probe.
import { z } from 'zod';

z.config({ jitless: true });
