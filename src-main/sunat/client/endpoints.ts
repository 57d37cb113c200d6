// Where SUNAT's services live. An override (simulator, OSE) changes the host and keeps SUNAT's paths.

export type SunatMode = 'production' | 'beta' | 'simulator' | 'custom';

export interface Endpoints {
  billService: string;
  consultService: string;
}

export const PRODUCTION_PATHS = {
  billService: '/ol-ti-itcpfegem/billService',
  consultService: '/ol-it-wsconscpegem/billConsultService',
} as const;

export const BETA_PATHS = {
  billService: '/ol-ti-itcpfegem-beta/billService',
  // SUNAT's beta has no dependable consult service; the simulator serves this path too.
  consultService: '/ol-it-wsconscpegem-beta/billConsultService',
} as const;

export const PRODUCTION_ORIGIN = 'https://e-factura.sunat.gob.pe';
export const BETA_ORIGIN = 'https://e-beta.sunat.gob.pe';
export const DEFAULT_SIMULATOR_URL = 'http://127.0.0.1:8090';

/** SUNAT beta's public test credentials: the SOL user and password every beta client uses. */
export const BETA_CREDENTIALS = { solUser: 'MODDATOS', solPassword: 'moddatos' } as const;

export function endpointsFor(mode: SunatMode, customUrl?: string): Endpoints {
  if (mode === 'production') {
    return { billService: PRODUCTION_ORIGIN + PRODUCTION_PATHS.billService, consultService: PRODUCTION_ORIGIN + PRODUCTION_PATHS.consultService };
  }
  if (mode === 'beta') {
    return { billService: BETA_ORIGIN + BETA_PATHS.billService, consultService: BETA_ORIGIN + BETA_PATHS.consultService };
  }
  const base = customUrl ?? (mode === 'simulator' ? DEFAULT_SIMULATOR_URL : undefined);
  if (!base) throw new Error('falta la URL del servicio SUNAT/OSE');
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  // A full service URL (an OSE's billService) is used as given; its consult service sits beside it.
  if (/\/billService$/i.test(path)) {
    return { billService: url.origin + path, consultService: url.origin + path.replace(/billService$/i, 'billConsultService') };
  }
  return {
    billService: url.origin + path + PRODUCTION_PATHS.billService,
    consultService: url.origin + path + PRODUCTION_PATHS.consultService,
  };
}
