import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// material-table renders slowly on a busy machine
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);
