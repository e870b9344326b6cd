import type { ReactNode } from 'react';

export const metadata = { title: 'flask-session-cookie Next.js test app' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
