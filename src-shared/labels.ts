// Spanish names for the identifiers the main process uses (job kinds, catalog CSV columns): one table each, shared by
// every screen that shows them, so a manager never reads "db.backup" or "price".

/**
 * What a till's enrolment brought to the hub and took from it, as the join says it (CLI and Administración → Central
 * alike): the products and users the hub added, and the usernames it already held — on this till those now log in
 * with the hub's PIN, so the admin who enrols must tell them.
 */
export function hubJoinNotices(r: { catalogAdded: number | null; users: { added: string[]; kept: string[] } | null }): string[] {
  const out: string[] = [];
  if (r.catalogAdded) out.push(`${r.catalogAdded} productos de esta caja pasaron al catálogo de la central; los precios se cambian allí.`);
  if (r.users && r.users.added.length > 0) {
    out.push(`${r.users.added.length === 1 ? 'El usuario' : `${r.users.added.length} usuarios`} de esta caja (${r.users.added.join(', ')}) ${r.users.added.length === 1 ? 'pasó' : 'pasaron'} a la central; desde ahora se administran allí.`);
  }
  if (r.users && r.users.kept.length > 0) {
    out.push(`Ya estaban en la central: ${r.users.kept.join(', ')}. En esta caja entran desde ahora con el PIN y el rol de la central; avíseles.`);
  }
  return out;
}

export interface JobKindLabel {
  title: string;
  help: string;
}

/** Every job kind the runner handles (src-main/jobs/handlers/index.ts), by kind. */
export const JOB_KIND_LABELS: Record<string, JobKindLabel> = {
  'sunat.send': { title: 'Envío de comprobante', help: 'Envía a SUNAT una boleta, factura o nota ya emitida.' },
  'sunat.summary': { title: 'Resumen diario / comunicación de baja', help: 'Envía a SUNAT un resumen diario o una comunicación de baja.' },
  'sunat.daily_summary': { title: 'Resumen diario por rechazo individual', help: 'Informa en el resumen diario las boletas y notas que SUNAT no acepta enviadas una por una (1079).' },
  'sunat.retry_failed': { title: 'Reintentar envíos con error', help: 'Vuelve a enviar a SUNAT los comprobantes con error de más de una hora.' },
  'report.daily': { title: 'Reporte diario', help: 'Genera el reporte del día (y los días que faltan).' },
  'files.archive': { title: 'Archivo mensual', help: 'Guarda en el archivo los CDR de los meses antiguos.' },
  'db.backup': { title: 'Copia de seguridad diaria', help: 'Copia la base de datos en la carpeta de copias.' },
  'hub.push': { title: 'Subir a la central', help: 'Envía a la central las ventas, comprobantes, notas, cajas y registros de esta caja.' },
  'hub.pull': { title: 'Recibir de la central', help: 'Trae de la central el catálogo, los precios, los usuarios, los clientes y la configuración.' },
};

/** The kind a schedule entry enqueues, by schedule name (src-main/jobs/schedule.ts DEFAULT_SCHEDULE). */
const SCHEDULE_KINDS: Record<string, string> = {
  retry_failed: 'sunat.retry_failed', 'report.daily': 'report.daily', 'files.archive': 'files.archive', 'db.backup': 'db.backup',
  'hub.push': 'hub.push', 'hub.pull': 'hub.pull',
};

/** The labels of the schedule entries, by schedule name (the admin's Horarios section). */
export const SCHEDULE_LABELS: Record<string, JobKindLabel> = Object.fromEntries(
  Object.entries(SCHEDULE_KINDS).map(([name, kind]) => [name, JOB_KIND_LABELS[kind]]),
);

/** A job kind's title; an unknown kind (a newer version's job) still reads as a task, not as code. */
export function jobKindTitle(kind: string): string {
  return JOB_KIND_LABELS[kind]?.title ?? `Tarea interna (${kind})`;
}

/** The catalog CSV's columns as the screen names them (the preview's "Problema en"). */
export const CSV_COLUMN_LABELS: Record<string, string> = {
  sku: 'Código', barcode: 'Código de barras', name: 'Nombre', price: 'Precio', tax_affectation: 'Afectación del IGV',
  unit_code: 'Unidad de medida', stock: 'Stock', active: 'Activo',
};

/** The keys of a till's series (the hub allocates one per key), as the screens and the CLI name them. */
export const SERIES_KEY_LABELS: Record<string, string> = {
  '03': 'boletas', '01': 'facturas', '07-03': 'notas de crédito de boletas', '07-01': 'notas de crédito de facturas',
  '08-03': 'notas de débito de boletas', '08-01': 'notas de débito de facturas',
};
