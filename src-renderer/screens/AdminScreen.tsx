// F7 Administración: the section switcher. Each section is one file under admin/: store and SUNAT settings, taxes,
// certificate, periodic jobs, retention, products (list, edit, CSV import/export), customers, users, backups and the
// hub (Central: enrolling this till).
// Admins see every section; supervisors Productos, Clientes and Usuarios (only to unlock a user locked out by wrong
// PINs). The main process refuses anything else anyway. Once this till is enrolled in a hub (`hubUrl`), Productos,
// Usuarios, Impuestos and the store's part of Tienda y SUNAT are shown read-only: the hub owns them (issue 16).
import { useState } from 'react';
import type { UserView } from '../../src-shared/contract';
import { BackupSection } from './admin/Backup';
import { CertificateSection } from './admin/Certificate';
import { ClockSection } from './admin/Clock';
import { CustomersSection } from './admin/Customers';
import { HubSection } from './admin/Hub';
import { PrinterSection } from './admin/Printer';
import { ProductsSection } from './admin/Products';
import { RetentionSection } from './admin/Retention';
import { ScheduleSection } from './admin/Schedule';
import { SettingsSection } from './admin/StoreSettings';
import { TaxesSection } from './admin/Taxes';
import { UsersSection } from './admin/Users';

type Section = 'settings' | 'printer' | 'taxes' | 'schedule' | 'retention' | 'certificate' | 'clock' | 'products' | 'customers' | 'users' | 'backup' | 'hub';

export function AdminScreen({ user, hubUrl, onChanged }: { user: UserView; hubUrl: string | null; onChanged: () => void }) {
  const isAdmin = user.role === 'admin';
  const [section, setSection] = useState<Section>(isAdmin ? 'settings' : 'products');
  const sections: { id: Section; label: string }[] = isAdmin
    ? [
      { id: 'settings', label: 'Tienda y SUNAT' }, { id: 'printer', label: 'Impresora' }, { id: 'taxes', label: 'Impuestos' }, { id: 'certificate', label: 'Certificado' },
      { id: 'schedule', label: 'Tareas programadas' }, { id: 'retention', label: 'Conservación' }, { id: 'products', label: 'Productos' },
      { id: 'customers', label: 'Clientes' }, { id: 'users', label: 'Usuarios' }, { id: 'backup', label: 'Copia de seguridad' },
      { id: 'clock', label: 'Reloj' }, { id: 'hub', label: 'Central' },
    ]
    : [{ id: 'products', label: 'Productos' }, { id: 'customers', label: 'Clientes' }, { id: 'users', label: 'Usuarios' }, { id: 'clock', label: 'Reloj' }];
  return (
    <div className="panel admin">
      <div className="panel-head">
        <h1>Administración</h1>
        <div className="segmented">
          {sections.map((s) => (
            <button key={s.id} className={section === s.id ? 'seg on' : 'seg'} onClick={() => setSection(s.id)} data-testid={`admin-section-${s.id}`}>
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {section === 'settings' && isAdmin && <SettingsSection hubUrl={hubUrl} onChanged={onChanged} />}
      {section === 'printer' && isAdmin && <PrinterSection />}
      {section === 'taxes' && isAdmin && <TaxesSection hubUrl={hubUrl} onChanged={onChanged} />}
      {section === 'certificate' && isAdmin && <CertificateSection onChanged={onChanged} />}
      {section === 'schedule' && isAdmin && <ScheduleSection />}
      {section === 'retention' && isAdmin && <RetentionSection />}
      {section === 'products' && <ProductsSection hubUrl={hubUrl} />}
      {section === 'customers' && <CustomersSection />}
      {section === 'users' && <UsersSection me={user} hubUrl={hubUrl} />}
      {section === 'backup' && isAdmin && <BackupSection />}
      {section === 'clock' && <ClockSection isAdmin={isAdmin} onChanged={onChanged} />}
      {section === 'hub' && isAdmin && <HubSection onChanged={onChanged} />}
    </div>
  );
}
