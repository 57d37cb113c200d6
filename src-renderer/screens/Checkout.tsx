// The main screen. The scan field always has focus: a barcode + Enter adds one unit; anything not found by barcode is
// searched by name. Keys: F2 search, F3 or * quantity, F4 customer, F5 park or recall a sale, F6 boleta/factura, F8 cobrar, +/- and Supr on the
// selected line, / its discount, Alt+P its price, Alt+G a discount on the whole sale, Esc cancels a dialog or (after
// confirming) the sale. When the POS locks, `holdRef` tells the shell
// what to keep (the cart, its customer and document type).
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { CheckoutInput, CheckoutResult, ParkedCartInput, ProductView, RecalledCart, TaxRatesView } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { readQuantity } from '../../src-shared/number-input';
import { isFree, type TaxAffectation } from '../../src-shared/tax';
import { IDENTITY_DOC_TYPES } from '../../src-shared/identity';
import { api, errorMessage } from '../api';
import { addProduct, approvalNeeded, cartAmounts, formatQuantity, itemCount, lineInputs, stepQuantity, setQuantity, type CartApproval, type CartLine, type ExchangeCredit } from '../cart';
import { DiscountDialog, type DiscountMode } from '../components/DiscountDialog';
import type { Discount } from '../../src-shared/tax';
import { CustomerPicker, type CustomerChoice } from '../components/CustomerPicker';
import { PayDialog } from '../components/PayDialog';
import { QuantityDialog } from '../components/QuantityDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ReturnDialog } from '../components/ReturnDialog';
import { ParkedDialog } from '../components/ParkedDialog';
import { SaleDone } from '../components/SaleDone';

type DocType = CheckoutInput['documentType'];
type DiscountDialogName = `disc-${DiscountMode}`;
type Dialog = null | 'customer' | 'pay' | 'qty' | 'clear' | 'return' | 'parked' | DiscountDialogName | { done: CheckoutResult };
interface Notice {
  kind: 'error' | 'info';
  text: string;
}
interface Cart {
  lines: CartLine[];
  selected: number;
  /** A discount on the whole sale (Alt+G), spread over the lines by the shared computation. */
  globalDiscount: Discount | null;
  /** A supervisor's approval for what is charged beyond the cashier's limit, until the sale is paid. */
  approval: CartApproval | null;
  /** An exchange: the cash refund of a credit note kept for this sale (Alt+D, then C). */
  exchange: ExchangeCredit | null;
}

const EMPTY_CART: Cart = { lines: [], selected: -1, globalDiscount: null, approval: null, exchange: null };
const F_KEYS = new Set(['F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8']);

interface Props {
  active: boolean;
  onSaleDone: () => void;
  /** Set while mounted: the sale in progress as a parked cart would keep it, or null (empty, or already paid). */
  holdRef?: RefObject<(() => ParkedCartInput | null) | null>;
  /** Shown when the screen opens (another user's sale was set aside at the lock screen). */
  initialNotice?: string | null;
}

export function Checkout({ active, onSaleDone, holdRef, initialNotice }: Props) {
  const [cart, setCart] = useState<Cart>(EMPTY_CART);
  const [text, setText] = useState('');
  const [searchMode, setSearchMode] = useState(false);
  const [results, setResults] = useState<{ query: string; items: ProductView[]; index: number; qty: string } | null>(null);
  const [docType, setDocType] = useState<DocType>('03');
  const [customer, setCustomer] = useState<CustomerChoice | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<Notice | null>(initialNotice ? { kind: 'info', text: initialNotice } : null);
  const [busy, setBusy] = useState(0);
  const [rates, setRates] = useState<TaxRatesView | null>(null);
  const [discountLimit, setDiscountLimit] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const lineRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  // Each sale has its number: the answer to a lookup made during an earlier sale is dropped (a slow "No se
  // encontró…" must not land on the next customer's screen, nor an item in their cart).
  const saleGen = useRef(0);

  // The rates in force today, as the checkout will apply them; asked again at each new sale (they change by date).
  const loadRates = useCallback(() => {
    api.call('sales.taxRates', {}).then(setRates, (e) => setNotice({ kind: 'error', text: errorMessage(e) }));
    // The signed-in user's limit below the catalog: the discount dialog asks for an approval beyond it.
    api.call('sales.discountPolicy', {}).then((p) => setDiscountLimit(p.limitPercent), () => undefined);
  }, []);
  useEffect(loadRates, [loadRates]);

  const amounts = rates ? cartAmounts(cart.lines, rates, cart.globalDiscount) : null;
  const total = amounts?.totals?.payable ?? null;
  const facturaNeedsRuc = docType === '01' && customer?.docType !== '6';

  const focusScan = useCallback(() => {
    if (!inputRef.current) return;
    if (document.querySelector('[role="dialog"]')) return;
    inputRef.current.focus();
  }, []);

  // Return focus to the scan field after every action.
  useEffect(() => {
    if (active && dialog === null) focusScan();
  });
  // Another tab (F9, F10…): the hidden scan field lets go of the keys in the same commit. Left to the browser, it keeps
  // them until its next rendering step, and a C pressed right after F9 went to this hidden field instead of Ventas del día.
  useLayoutEffect(() => {
    if (!active && inputRef.current && document.activeElement === inputRef.current) inputRef.current.blur();
  }, [active]);

  useEffect(() => {
    if (cart.selected >= 0) lineRefs.current[cart.selected]?.scrollIntoView({ block: 'nearest' });
  }, [cart.selected]);

  const addToCart = useCallback((p: ProductView, qty: string) => {
    setCart((c) => {
      const { lines, index } = addProduct(c.lines, p, qty);
      return { ...c, lines, selected: index };
    });
    setResults(null);
    setNotice(Number(p.stock) <= 0 ? { kind: 'info', text: `${p.name}: sin stock en el sistema. Se registra igual; avise al encargado.` } : null);
  }, []);

  const search = useCallback(async (query: string, qty: string) => {
    const q = query.trim();
    if (!q) {
      setSearchMode(true);
      return;
    }
    const gen = saleGen.current;
    setBusy((b) => b + 1);
    try {
      const items = await api.call('catalog.search', { query: q, limit: 30 });
      if (gen !== saleGen.current) return;
      if (items.length === 0) {
        setResults(null);
        setNotice({ kind: 'error', text: `No se encontró «${q}». Revise el código o escriba parte del nombre y presione F2 para buscar.` });
      } else {
        setResults({ query: q, items, index: 0, qty });
        setNotice(null);
      }
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy((b) => b - 1);
      setSearchMode(false);
    }
  }, []);

  const lookup = useCallback(
    async (raw: string) => {
      const gen = saleGen.current;
      let qty = '1';
      let code = raw.trim();
      // "3*7750000000014" adds three units at once; "0,250*…" a quarter kilo (the shared quantity reader).
      const m = /^(\d{1,7}(?:[.,]\d{0,3})?)\*(.+)$/.exec(code);
      const q = m ? readQuantity(m[1]) : null;
      if (m && q?.value) {
        qty = q.value;
        code = m[2].trim();
      }
      if (!code) return;
      if (searchMode || !/^[0-9A-Za-z-]{1,50}$/.test(code) || /\s/.test(code)) {
        await search(code, qty);
        return;
      }
      setBusy((b) => b + 1);
      try {
        const p = await api.call('catalog.byBarcode', { barcode: code });
        if (gen !== saleGen.current) return;
        if (p) addToCart(p, qty);
        else await search(code, qty);
      } catch (e) {
        if (gen === saleGen.current) setNotice({ kind: 'error', text: errorMessage(e) });
      } finally {
        setBusy((b) => b - 1);
      }
    },
    [searchMode, search, addToCart],
  );

  const newSale = useCallback(() => {
    saleGen.current += 1;
    loadRates();
    setCart(EMPTY_CART);
    setCustomer(null);
    setDocType('03');
    setResults(null);
    setSearchMode(false);
    setText('');
    setNotice(null);
    setDialog(null);
  }, [loadRates]);

  // The cart as a parked cart (F5, and what the lock keeps).
  const parkedInput = (): ParkedCartInput => ({ documentType: docType, customer: customer ?? null, lines: lineInputs(cart.lines), globalDiscount: cart.globalDiscount });
  // What the lock keeps: nothing once the sale is paid (its done dialog may still be open) or when the cart is empty.
  const heldCart = (): ParkedCartInput | null =>
    cart.lines.length === 0 || (dialog !== null && typeof dialog === 'object') ? null : parkedInput();
  const heldNow = useRef(heldCart);
  heldNow.current = heldCart;
  useEffect(() => {
    if (!holdRef) return;
    const get = () => heldNow.current();
    holdRef.current = get;
    return () => {
      if (holdRef.current === get) holdRef.current = null;
    };
  }, [holdRef]);

  // Parked sales: the cart goes to the database (it survives a restart) and the screen is ready for the next customer.
  const park = () => {
    api.call('cart.park', parkedInput()).then(
      (r) => {
        newSale();
        setNotice({ kind: 'info', text: `Venta en espera: ${r.label} (${r.items}). F5 con el carrito vacío para retomarla.` });
      },
      (e) => setNotice({ kind: 'error', text: errorMessage(e) }),
    );
  };
  const recall = (r: RecalledCart) => {
    newSale();
    setCart({
      lines: r.lines.map((l) => ({ product: l.product, quantity: l.quantity, discount: l.discount ?? null, ...(l.unitPrice ? { unitPrice: l.unitPrice } : {}) })),
      selected: r.lines.length - 1, globalDiscount: r.globalDiscount ?? null, approval: null, exchange: null,
    });
    setDocType(r.documentType);
    setCustomer(r.customer && r.customer.docType !== '-' ? (r.customer as CustomerChoice) : null);
    if (r.missing.length > 0) setNotice({ kind: 'error', text: `Ya no se venden y no se retomaron: ${r.missing.join(', ')}.` });
    else setNotice({ kind: 'info', text: 'Venta retomada.' });
  };

  const openPay = () => {
    if (cart.lines.length === 0) {
      setNotice({ kind: 'error', text: 'El carrito está vacío: escanee un producto antes de cobrar.' });
      return;
    }
    if (amounts?.error) {
      setNotice({ kind: 'error', text: amounts.error });
      return;
    }
    if (total === null) {
      loadRates();
      setNotice({ kind: 'error', text: 'Aún no se cargan las tasas de IGV e ICBPER de hoy. Intente de nuevo en un momento.' });
      return;
    }
    setResults(null);
    // Discounts beyond the cashier's limit without an approval that covers them (a recalled cart, a limit lowered
    // meanwhile): the approval is asked first, in the discount dialog, and Cobrar opens after it.
    if (amounts && discountLimit !== null && approvalNeeded(amounts, discountLimit, cart.approval)) {
      setDialog('disc-approve');
      return;
    }
    setDialog('pay');
  };
  const openDiscount = (mode: DiscountMode) => {
    if (mode !== 'global' && cart.selected < 0) {
      setNotice({ kind: 'error', text: 'Elija una línea con ↑ ↓ antes de aplicar el descuento o cambiar el precio.' });
      return;
    }
    if (cart.lines.length === 0) {
      setNotice({ kind: 'error', text: 'El carrito está vacío: escanee un producto antes de aplicar un descuento.' });
      return;
    }
    if (!rates || discountLimit === null) {
      loadRates();
      setNotice({ kind: 'error', text: 'Aún se cargan las tasas y su límite de descuento. Intente de nuevo en un momento.' });
      return;
    }
    if (mode !== 'global' && isFree(cart.lines[cart.selected].product.taxAffectation as TaxAffectation)) {
      setNotice({ kind: 'error', text: 'Una línea gratuita no admite descuento ni cambio de precio.' });
      return;
    }
    if (mode === 'price' && cart.lines[cart.selected].product.isBag) {
      setNotice({ kind: 'error', text: 'El precio de la bolsa no se cambia (lleva el ICBPER).' });
      return;
    }
    setResults(null);
    setDialog(`disc-${mode}`);
  };

  const toggleDocType = useCallback(() => {
    const next: DocType = docType === '03' ? '01' : '03';
    setDocType(next);
    setNotice(next === '01' && customer?.docType !== '6' ? { kind: 'info', text: 'Factura: ingrese el RUC del cliente con F4.' } : null);
  }, [docType, customer]);

  // Function keys and Esc, wherever the focus is (the scan field keeps it anyway). The handler is replaced at every
  // render, before the screen shows what changed: F8 pressed right after a scan sees the line just added (a listener
  // re-registered by an effect would still hold the empty cart for a moment after the line is on screen).
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (e: KeyboardEvent) => {
    if (dialog !== null || document.querySelector('[role="dialog"]')) {
      if (F_KEYS.has(e.key)) e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'F2':
        e.preventDefault();
        if (text.trim()) {
          setText('');
          void search(text, '1');
        } else {
          setSearchMode(true);
          focusScan();
        }
        break;
      case 'F3':
        e.preventDefault();
        if (cart.selected >= 0) setDialog('qty');
        break;
      case 'F4':
        e.preventDefault();
        setResults(null);
        setDialog('customer');
        break;
      case 'F5':
        // F5 parks the cart to serve the next customer; with an empty cart it lists the parked ones.
        e.preventDefault();
        if (cart.exchange) setNotice({ kind: 'error', text: `Termine el cambio antes de poner la venta en espera: ${formatSoles(cart.exchange.amount)} de la nota ${cart.exchange.number} son del cliente.` });
        else if (cart.lines.length > 0) park();
        else {
          setResults(null);
          setDialog('parked');
        }
        break;
      case 'F6':
        e.preventDefault();
        toggleDocType();
        break;
      case 'F8':
        e.preventDefault();
        openPay();
        break;
      case 'p':
      case 'P':
      case 'g':
      case 'G':
        // Alt+P: the selected line's price; Alt+G: a discount on the whole sale.
        if (!e.altKey || e.ctrlKey || e.metaKey) break;
        e.preventDefault();
        openDiscount(e.key.toLowerCase() === 'p' ? 'price' : 'global');
        break;
      case 'd':
      case 'D':
        // Alt+D: a return (Devolución) by the receipt's number or its QR; the cart stays as it is.
        if (!e.altKey || e.ctrlKey || e.metaKey) break;
        e.preventDefault();
        setResults(null);
        setDialog('return');
        break;
      case 'Escape':
        e.preventDefault();
        if (results) setResults(null);
        else if (searchMode) setSearchMode(false);
        else if (text) setText('');
        else if (notice) setNotice(null);
        else if (cart.lines.length > 0 || cart.exchange) setDialog('clear');
        break;
    }
  };
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);

  function onScanKey(e: React.KeyboardEvent<HTMLInputElement>) {
    const empty = text.trim() === '';
    switch (e.key) {
      case 'Enter': {
        e.preventDefault();
        if (results && empty) {
          const p = results.items[results.index];
          if (p) addToCart(p, results.qty);
        } else if (!empty) {
          const value = text;
          setText('');
          void lookup(value);
        }
        return;
      }
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        const d = e.key === 'ArrowDown' ? 1 : -1;
        if (results) {
          setResults({ ...results, index: Math.min(results.items.length - 1, Math.max(0, results.index + d)) });
        } else if (cart.lines.length > 0) {
          setCart((c) => ({ ...c, selected: Math.min(c.lines.length - 1, Math.max(0, c.selected + d)) }));
        }
        return;
      }
      case '+':
      case '-':
        if (empty && !results && cart.selected >= 0) {
          e.preventDefault();
          setCart((c) => ({ ...c, lines: stepQuantity(c.lines, c.selected, e.key === '+' ? 1 : -1) }));
        }
        return;
      case '*':
        if (empty && cart.selected >= 0) {
          e.preventDefault();
          setDialog('qty');
        }
        return;
      case '/':
        // The numeric keypad's /: a discount on the selected line.
        if (empty && !results && cart.lines.length > 0) {
          e.preventDefault();
          openDiscount('line');
        }
        return;
      case 'Delete':
        if (empty && !results && cart.selected >= 0) {
          e.preventDefault();
          setCart((c) => {
            const lines = c.lines.filter((_, i) => i !== c.selected);
            return { ...c, lines, selected: Math.min(c.selected, lines.length - 1) };
          });
        }
        return;
    }
  }

  const selectedLine = cart.selected >= 0 ? cart.lines[cart.selected] : undefined;
  const customerLabel = customer
    ? `${docTypeShort(customer.docType)} ${customer.docNumber} · ${customer.name}`
    : 'Clientes varios';

  return (
    <section className={active ? 'checkout' : 'checkout hidden'} aria-hidden={!active}>
      <div className="checkout-main">
        <div className="scan-bar">
          <label className="scan-label" htmlFor="scan-input">
            {searchMode ? 'Buscar por nombre' : 'Código de barras o nombre'}
          </label>
          <div className="scan-row">
            <input
              id="scan-input"
              ref={inputRef}
              data-testid="scan-input"
              className={searchMode ? 'scan-input search' : 'scan-input'}
              autoComplete="off"
              spellCheck={false}
              placeholder={searchMode ? 'Escriba parte del nombre y presione Enter' : 'Escanee o escriba el código y presione Enter'}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                if (results) setResults(null);
              }}
              onKeyDown={onScanKey}
              onBlur={() => {
                // Keep the scanner's keystrokes landing here, whatever was clicked.
                window.setTimeout(() => {
                  if (active && !document.querySelector('[role="dialog"]') && document.activeElement?.tagName !== 'INPUT') focusScan();
                }, 0);
              }}
              aria-describedby="scan-help"
            />
            {busy > 0 && <span className="spinner" aria-label="Buscando" />}
          </div>
          <p id="scan-help" className="hint">
            Enter agrega · <kbd>F2</kbd> buscar · <kbd>↑</kbd>
            <kbd>↓</kbd> elegir línea · <kbd>+</kbd>
            <kbd>-</kbd> cantidad · <kbd>*</kbd>/<kbd>F3</kbd> cambiar cantidad · <kbd>/</kbd> descuento · <kbd>Supr</kbd> quitar
          </p>
          {notice && (
            <p
              className={notice.kind === 'error' ? 'alert' : 'notice'}
              role={notice.kind === 'error' ? 'alert' : 'status'}
              data-testid={notice.kind === 'error' ? 'error-alert' : 'notice'}
            >
              {notice.text}
            </p>
          )}
          {results && (
            <div className="results" data-testid="search-results">
              <div className="results-head">
                Resultados para «{results.query}» — <kbd>↑</kbd>
                <kbd>↓</kbd> elegir, <kbd>Enter</kbd> agregar, <kbd>Esc</kbd> cerrar
              </div>
              <ul role="listbox" aria-label="Productos encontrados">
                {results.items.map((p, i) => (
                  <li
                    key={p.id}
                    role="option"
                    aria-selected={i === results.index}
                    className={i === results.index ? 'result selected' : 'result'}
                    data-testid="search-result"
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => addToCart(p, results.qty)}
                  >
                    <span className="result-name">{p.name}</span>
                    <span className="muted">{p.barcode ?? p.sku}</span>
                    <span className={Number(p.stock) <= 0 ? 'stock none' : 'stock'}>Stock {formatQuantity(p.stock)}</span>
                    <span className="amount">{formatSoles(p.price)}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>

        <div className="cart" data-testid="cart">
          <table className="cart-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Descripción</th>
                <th className="num">Cant.</th>
                <th className="num">P. unit.</th>
                <th className="num">Importe</th>
              </tr>
            </thead>
            <tbody>
              {cart.lines.map((l, i) => (
                <tr
                  key={l.product.id}
                  ref={(el) => {
                    lineRefs.current[i] = el;
                  }}
                  data-testid="cart-line"
                  data-product-id={l.product.id}
                  aria-selected={i === cart.selected}
                  className={i === cart.selected ? 'selected' : undefined}
                  onClick={() => setCart((c) => ({ ...c, selected: i }))}
                >
                  <td className="num muted">{i + 1}</td>
                  <td>
                    {l.product.name}
                    <LineNote line={l} icbper={amounts?.lines?.[i].icbper.toFixed(2) ?? null} discount={amounts?.lines?.[i].discountWithTax.toFixed(2) ?? null} />
                  </td>
                  <td className="num qty" data-testid="cart-line-qty">
                    {formatQuantity(l.quantity)}
                  </td>
                  <td className="num" data-testid="cart-line-price">
                    {formatSoles(l.unitPrice ?? l.product.price)}
                    {l.unitPrice && <small className="muted list-price"> lista {formatSoles(l.product.price)}</small>}
                  </td>
                  <td className="num strong" data-testid="cart-line-amount">
                    {amounts?.lines ? formatSoles(amounts.lines[i].total) : '—'}
                  </td>
                </tr>
              ))}
              {cart.lines.length === 0 && (
                <tr className="empty">
                  <td colSpan={5}>Escanee un producto para empezar la venta.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>

      <aside className="checkout-side">
        <div className="doc-toggle" role="group" aria-label="Tipo de comprobante">
          <button
            type="button"
            data-testid="doc-type"
            data-doctype={docType}
            className={docType === '03' ? 'doc-btn boleta' : 'doc-btn factura'}
            onClick={toggleDocType}
            tabIndex={-1}
            aria-label={`Comprobante: ${docType === '03' ? 'Boleta' : 'Factura'}. F6 para cambiar`}
          >
            <span className={docType === '03' ? 'opt on' : 'opt'}>Boleta</span>
            <span className={docType === '01' ? 'opt on' : 'opt'}>Factura</span>
            <kbd>F6</kbd>
          </button>
        </div>

        <button type="button" className="customer-btn" data-testid="customer-button" onClick={() => setDialog('customer')} tabIndex={-1}>
          <span className="customer-label">Cliente <kbd>F4</kbd></span>
          <span className="customer-name">{customerLabel}</span>
        </button>
        {facturaNeedsRuc && (
          <p className="alert small" role="status">
            La factura requiere el RUC del cliente. Presione F4 para ingresarlo o F6 para emitir boleta.
          </p>
        )}

        <div className="total-box">
          <span className="total-label">Total a pagar</span>
          <span className="total" data-testid="cart-total">
            {total === null ? '—' : formatSoles(total)}
          </span>
          {amounts?.error && (
            <span className="alert small" role="alert">
              {amounts.error}
            </span>
          )}
          {amounts?.globalDiscount && !amounts.globalDiscount.isZero() && (
            <span className="muted" data-testid="cart-global-discount">
              Descuento global {cart.globalDiscount?.kind === 'percent' ? `${cart.globalDiscount.value.replace('.', ',')}% ` : ''}−{formatSoles(amounts.globalDiscount)}
            </span>
          )}
          {cart.exchange && total !== null && (
            <span className="strong" data-testid="cart-exchange">
              Cambio: {formatSoles(cart.exchange.amount)} a favor (nota {cart.exchange.number}) ·{' '}
              {total.gt(cart.exchange.amount) ? `falta pagar ${formatSoles(total.minus(cart.exchange.amount))}` : `devolver ${formatSoles(Dec.of(cart.exchange.amount).minus(total))}`}
            </span>
          )}
          {cart.approval && (
            <span className="muted" data-testid="cart-approval">
              Autorizó {cart.approval.approverName} (hasta {Dec.of(cart.approval.percent).toString().replace('.', ',')}%)
            </span>
          )}
          <span className="muted">
            {cart.lines.length} {cart.lines.length === 1 ? 'producto' : 'productos'} · {itemCount(cart.lines).toString()} unid. · IGV
            incluido{amounts?.totals && !amounts.totals.icbper.isZero() ? ` · ICBPER ${formatSoles(amounts.totals.icbper)}` : ''}
          </span>
        </div>

        <button type="button" className="btn pay big" data-testid="pay-button" onClick={openPay} tabIndex={-1} disabled={cart.lines.length === 0}>
          Cobrar <kbd>F8</kbd>
        </button>

        <ul className="shortcuts" aria-label="Atajos de teclado">
          <li>
            <kbd>F2</kbd> Buscar producto
          </li>
          <li>
            <kbd>F3</kbd> Cantidad de la línea
          </li>
          <li>
            <kbd>/</kbd> Descuento de la línea · <kbd>Alt</kbd>+<kbd>P</kbd> Precio
          </li>
          <li>
            <kbd>Alt</kbd>+<kbd>G</kbd> Descuento global
          </li>
          <li>
            <kbd>F4</kbd> Cliente
          </li>
          <li>
            <button type="button" className="link-btn" data-testid="park-button" tabIndex={-1} onClick={() => (cart.lines.length > 0 ? park() : setDialog('parked'))}>
              <kbd>F5</kbd> Poner en espera / retomar
            </button>
          </li>
          <li>
            <kbd>F6</kbd> Boleta / Factura
          </li>
          <li>
            <kbd>F8</kbd> Cobrar
          </li>
          <li>
            <kbd>F9</kbd> Ventas del día · <kbd>F10</kbd> Caja
          </li>
          <li>
            <button type="button" className="link-btn" data-testid="return-button" tabIndex={-1} onClick={() => setDialog('return')}>
              <kbd>Alt</kbd>+<kbd>D</kbd> Devolución
            </button>
          </li>
          <li>
            <kbd>Esc</kbd> Cancelar / anular venta
          </li>
        </ul>
      </aside>

      {dialog === 'qty' && selectedLine && (
        <QuantityDialog
          line={selectedLine}
          rates={rates}
          onCancel={() => setDialog(null)}
          onSave={(q) => {
            setCart((c) => ({ ...c, lines: setQuantity(c.lines, c.selected, q) }));
            setDialog(null);
          }}
        />
      )}
      {dialog === 'customer' && (
        <CustomerPicker
          documentType={docType}
          initial={customer}
          onCancel={() => setDialog(null)}
          onSave={(c) => {
            setCustomer(c);
            setNotice(null);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'pay' && total !== null && (
        <PayDialog
          total={total}
          documentType={docType}
          customer={customer}
          lines={cart.lines}
          globalDiscount={cart.globalDiscount}
          approval={cart.approval}
          exchange={cart.exchange}
          onCancel={() => setDialog(null)}
          onCustomer={() => setDialog('customer')}
          onDone={(r) => {
            setDialog({ done: r });
            onSaleDone();
          }}
        />
      )}
      {dialog === 'clear' && (
        <ConfirmDialog
          title="¿Anular la venta en curso?"
          message={`Se quitarán ${cart.lines.length} ${cart.lines.length === 1 ? 'producto' : 'productos'} del carrito${total === null ? '' : ` (${formatSoles(total)})`}. No se registra nada.${cart.exchange ? ` El cambio se cancela: entregue al cliente ${formatSoles(cart.exchange.amount)} en efectivo (nota ${cart.exchange.number}).` : ''}`}
          confirmLabel="Sí, anular (Enter)"
          cancelLabel="No, seguir (Esc)"
          onCancel={() => setDialog(null)}
          onConfirm={newSale}
        />
      )}
      {dialog !== null && typeof dialog === 'object' && <SaleDone result={dialog.done} onNewSale={newSale} />}
      {dialog === 'return' && (
        <ReturnDialog
          onClose={() => setDialog(null)}
          onExchange={(d) => {
            setCart((c) => ({ ...c, exchange: { noteId: d.noteId, number: d.number, amount: d.refund } }));
            setDialog(null);
            setNotice({ kind: 'info', text: `Cambio: escanee los productos nuevos. ${formatSoles(d.refund)} de la nota ${d.number} quedan a favor del cliente.` });
          }}
        />
      )}
      {dialog === 'parked' && <ParkedDialog onCancel={() => setDialog(null)} onRecall={recall} />}
      {typeof dialog === 'string' && dialog.startsWith('disc-') && rates && discountLimit !== null && (
        <DiscountDialog
          mode={dialog.slice(5) as DiscountMode}
          cart={cart}
          rates={rates}
          limit={discountLimit}
          onCancel={() => setDialog(null)}
          onApply={(c) => {
            setCart((prev) => ({ ...prev, ...c }));
            // An approval asked at Cobrar goes on to Cobrar.
            setDialog(dialog === 'disc-approve' ? 'pay' : null);
            if (c.approval && c.approval !== cart.approval) setNotice({ kind: 'info', text: `Descuento autorizado por ${c.approval.approverName}.` });
          }}
        />
      )}
    </section>
  );
}

/**
 * Under a line's description: a free item costs the customer nothing but its bags' ICBPER; a bag line shows its
 * ICBPER; a discounted line its discount (with its share of a global discount).
 */
function LineNote({ line, icbper, discount }: { line: CartLine; icbper: string | null; discount: string | null }) {
  const free = isFree(line.product.taxAffectation as TaxAffectation);
  const notes: string[] = [];
  if (free) notes.push(`Gratuito (valor ${formatSoles(line.product.price)})`);
  if (icbper && icbper !== '0.00') notes.push(`incluye ICBPER ${formatSoles(icbper)}`);
  if (discount && discount !== '0.00') {
    const own = line.discount?.kind === 'percent' ? ` (${line.discount.value.replace('.', ',')}%)` : '';
    notes.push(`descuento −${formatSoles(discount)}${own}`);
  }
  if (notes.length === 0) return null;
  return (
    <span className="line-note muted" data-testid="cart-line-note">
      {notes.join(' · ')}
    </span>
  );
}

function docTypeShort(t: string): string {
  switch (t) {
    case '1':
      return 'DNI';
    case '6':
      return 'RUC';
    case '4':
      return 'CE';
    case '7':
      return 'Pasaporte';
    default:
      return IDENTITY_DOC_TYPES[t as keyof typeof IDENTITY_DOC_TYPES] ?? t;
  }
}
