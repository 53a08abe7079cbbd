/** The web app: public portal, explorer, receipt verifier, applicant portal and staff workspace. */
import '@mantine/core/styles.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { initI18n } from './i18n';
import { initialLocale, langOf } from './i18n/locale';
import { applyLocale, LocaleProvider } from './lib/locale-context';
import { queryClient } from './lib/api';
import { theme } from './app/theme';
import { Layout, NotFound } from './app/Layout';
import { portalRoutes } from './portal/routes';
import { explorerRoutes } from './explorer/routes';
import { verifyRoutes } from './verify/routes';
import { applicantRoutes } from './applicant/routes';
import { staffRoutes } from './staff/routes';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      ...portalRoutes,
      ...explorerRoutes,
      ...verifyRoutes,
      ...applicantRoutes,
      ...staffRoutes,
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const locale = initialLocale();
applyLocale(locale);
await initI18n(langOf(locale));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <LocaleProvider initial={locale}>
          <RouterProvider router={router} />
        </LocaleProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
