// What the hub owns once a till is enrolled (issue 16 item 4), in the words both the main process's refusal and the
// admin screens' read-only notice use.
export const HUB_OWNED_WHAT = {
  products: 'los productos se cambian en la central',
  users: 'los usuarios se cambian en la central',
  store: 'los datos de la tienda se cambian en la central',
  taxes: 'las tasas de impuestos se cambian en la central',
  rules: 'las reglas de la tienda (descuentos, reimpresiones, fondo inicial, bloqueo, cajón) se cambian en la central',
  series: 'las series las asigna la central',
} as const;
export type HubOwned = keyof typeof HUB_OWNED_WHAT;

/** "Este terminal está enlazado a la central: los productos se cambian en la central (URL)." */
export function hubOwnedMessage(url: string, what: HubOwned): string {
  return `Este terminal está enlazado a la central: ${HUB_OWNED_WHAT[what]} (${url}).`;
}
