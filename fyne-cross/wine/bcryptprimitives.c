/*
 * A stand-in for Windows' bcryptprimitives.dll, for smoke tests under Wine only: never
 * shipped. Go >= 1.22 programs get their random numbers from ProcessPrng in
 * bcryptprimitives.dll (present in every Windows 10/11) and stop at start-up with
 * "fatal error: bcryptprimitives.dll not found" when it is missing, as in Debian 12's
 * Wine 8.0. This DLL provides ProcessPrng over advapi32's RtlGenRandom.
 * smoke-windows.sh builds it with: x86_64-w64-mingw32-gcc -shared -O2 -o
 * bcryptprimitives.dll bcryptprimitives.c -ladvapi32, into the Wine prefix's system32.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
