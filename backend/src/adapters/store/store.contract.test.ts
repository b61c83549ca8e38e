/** The Store contract, run on SQLite (temporary file) and on the local MariaDB (a fresh database). */
import { storeContract } from './testing/store-contract.js';
import { mysqlTestDatabase, sqliteTestDatabase } from './testing/test-databases.js';

storeContract(sqliteTestDatabase());
storeContract(mysqlTestDatabase());
